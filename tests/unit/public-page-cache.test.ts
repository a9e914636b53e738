import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PublicPageCache } from "../../server/public-page-cache";

/** A page that gzip cannot shrink: each weighs about twice its body in the cache. */
const page = (bytes: number) => async () => ({ status: 200, headers: [["content-type", "text/html"]] as [string, string][], body: randomBytes(bytes) });

describe("the public page cache's bound", () => {
  it("is counted in bytes: many large pages never take more than the bound, the coldest go first", async () => {
    const cache = new PublicPageCache(200_000);
    await cache.fill("first", "fr", page(20_000));
    for (let i = 0; i < 40; i++) {
      // "first" is served all along: it stays; the pages nobody asks for again go.
      expect(cache.get("first", "fr")).toBeDefined();
      await cache.fill(`cv-${i}`, "fr", page(20_000));
      expect(cache.bytes).toBeLessThanOrEqual(200_000);
    }
    expect(cache.size).toBeLessThanOrEqual(5);
    expect(cache.get("first", "fr")).toBeDefined();
    expect(cache.get("cv-39", "fr")).toBeDefined();
    expect(cache.get("cv-0", "fr")).toBeUndefined();
  });

  it("keeps the count true when pages are evicted or replaced, and never stores a page larger than the bound", async () => {
    const cache = new PublicPageCache(100_000);
    await cache.fill("a", "fr", page(10_000));
    await cache.fill("a", "en", page(10_000));
    const both = cache.bytes;
    expect(both).toBeGreaterThan(40_000);
    cache.evict("a");
    expect(cache.bytes).toBe(0);
    await cache.fill("huge", "fr", page(80_000));
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });
});


const textPage = (text: string, status = 200) => async () => ({ status, headers: [] as [string, string][], body: Buffer.from(text) });

/** The ages of a cached page, on a clock the test moves (decision 021). */
describe("the public page cache's ages", () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it("serves a page while fresh, asks for a refresh once stale, and never serves it past its maximum age", async () => {
    const time = clock();
    const cache = new PublicPageCache(1_000_000, { freshMs: 1000, maxAgeMs: 1500 }, time.now);
    await cache.fill("ana", "fr", textPage("v1"));
    time.advance(999);
    expect(cache.isStale(cache.get("ana", "fr")!)).toBe(false);
    time.advance(1);
    expect(cache.get("ana", "fr")!.body.toString()).toBe("v1");
    expect(cache.isStale(cache.get("ana", "fr")!)).toBe(true);
    time.advance(499);
    expect(cache.get("ana", "fr")).toBeDefined();
    time.advance(1);
    expect(cache.get("ana", "fr")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("counts a page's age from the start of its render, and drops a stale copy when the refresh finds the CV gone", async () => {
    const time = clock();
    const cache = new PublicPageCache(1_000_000, { freshMs: 1000, maxAgeMs: 1500 }, time.now);
    await cache.fill("ana", "fr", async () => {
      time.advance(1200); // a slow render: the data it shows may be that old already
      return textPage("v1")();
    });
    expect(cache.isStale(cache.get("ana", "fr")!)).toBe(true);
    await cache.fill("ana", "fr", textPage("", 410));
    expect(cache.get("ana", "fr")).toBeUndefined();
  });
});
