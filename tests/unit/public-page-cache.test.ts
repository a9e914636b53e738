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
