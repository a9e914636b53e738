import { describe, expect, it } from "vitest";
import { PublicPageCache } from "../../server/public-page-cache";

const page = (text: string, status = 200) => async () => ({ status, headers: [] as [string, string][], body: Buffer.from(text) });

/** The ages of a cached page, on a clock the test moves (decision 021). */
describe("the public page cache's ages", () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it("serves a page while fresh, asks for a refresh once stale, and never serves it past its maximum age", async () => {
    const time = clock();
    const cache = new PublicPageCache(10, { freshMs: 1000, maxAgeMs: 1500 }, time.now);
    await cache.fill("ana", "", page("v1"));
    time.advance(999);
    expect(cache.isStale(cache.get("ana", "")!)).toBe(false);
    time.advance(1);
    expect(cache.get("ana", "")!.body.toString()).toBe("v1");
    expect(cache.isStale(cache.get("ana", "")!)).toBe(true);
    time.advance(499);
    expect(cache.get("ana", "")).toBeDefined();
    time.advance(1);
    expect(cache.get("ana", "")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("counts a page's age from the start of its render, and drops a stale copy when the refresh finds the CV gone", async () => {
    const time = clock();
    const cache = new PublicPageCache(10, { freshMs: 1000, maxAgeMs: 1500 }, time.now);
    await cache.fill("ana", "", async () => {
      time.advance(1200); // a slow render: the data it shows may be that old already
      return page("v1")();
    });
    expect(cache.isStale(cache.get("ana", "")!)).toBe(true);
    await cache.fill("ana", "", page("", 410));
    expect(cache.get("ana", "")).toBeUndefined();
  });
});
