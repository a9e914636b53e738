import { describe, expect, it } from "vitest";
import { MAX_FILL_MS, MIN_FILL_MS, networkOf, signFormStamp, spamSigns } from "./submission-spam";

const secret = "a-secret-long-enough-for-the-tests-000";

describe("spam signs of the employer form", () => {
  it("holds a form filled too fast, or shown too long ago, or without a genuine stamp", () => {
    const now = Date.now();
    expect(spamSigns(secret, { honeypot: "", stamp: signFormStamp(secret, now - 60_000) }, now)).toEqual([]);
    expect(spamSigns(secret, { honeypot: "", stamp: signFormStamp(secret, now - MIN_FILL_MS + 500) }, now)).toEqual(["too_fast"]);
    expect(spamSigns(secret, { honeypot: "", stamp: signFormStamp(secret, now - MAX_FILL_MS - 1000) }, now)).toEqual(["stale_stamp"]);
    expect(spamSigns(secret, { honeypot: "", stamp: signFormStamp("another-secret-of-the-same-length-0000", now - 60_000) }, now)).toEqual(["no_stamp"]);
    expect(spamSigns(secret, { honeypot: "http://x", stamp: signFormStamp(secret, now - 60_000) }, now)).toEqual(["honeypot"]);
  });

  it("counts floods by IPv4 address, or by the /64 of an IPv6 address", () => {
    expect(networkOf("203.0.113.7")).toBe("203.0.113.7");
    expect(networkOf("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(networkOf("2001:db8:0:1::1")).toBe("2001:db8:0:1::/64");
    expect(networkOf("2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:0:1::/64");
    expect(networkOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(networkOf("2001:db8:0:2::1")).not.toBe(networkOf("2001:db8:0:1::1"));
  });
});
