import { createHmac, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signOneClick, verifyOneClick } from "./one-click";

const secret = "unit-secret-unit-secret-unit-secret";
const claims = { candidateId: randomUUID(), offerId: randomUUID(), action: "contacted" as const };

describe("one-click offer tokens", () => {
  it("carry the candidate, the offer, the action and a 30-day expiry, in a short link", () => {
    const token = signOneClick(secret, claims);
    expect(token.length).toBeLessThan(80);
    const verified = verifyOneClick(secret, token);
    expect(verified).toMatchObject({ state: "valid", claims });
    if (verified.state !== "valid") throw new Error("unreachable");
    expect(Math.round((verified.claims.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(30);
  });

  it("refuse any character changed, another secret, and a past expiry", () => {
    const token = signOneClick(secret, claims);
    for (let at = 0; at < token.length; at++) {
      if (token[at] === ".") continue;
      const changed = token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
      expect(verifyOneClick(secret, changed).state, `position ${at}`).toBe("invalid");
    }
    // The last character's low bits are padding in base64url: changing them is a change too.
    const last = token.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    expect(verifyOneClick(secret, token.slice(0, -1) + alphabet[alphabet.indexOf(last) + 1]).state).toBe("invalid");
    expect(verifyOneClick("another-secret", token).state).toBe("invalid");
    expect(verifyOneClick(secret, signOneClick(secret, { ...claims, expiresAt: new Date(Date.now() - 1000) })).state).toBe("expired");
  });

  it("refuse a signature made for another purpose with the same secret", () => {
    const [payload] = signOneClick(secret, claims).split(".");
    const otherPurpose = createHmac("sha256", secret).update(payload!).digest().subarray(0, 16).toString("base64url");
    expect(verifyOneClick(secret, `${payload}.${otherPurpose}`).state).toBe("invalid");
  });
});
