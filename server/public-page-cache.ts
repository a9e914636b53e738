import { gzipSync } from "node:zlib";
import type { Locale } from "../app/db/schema";

/**
 * Rendered public pages (the "viral CV" case), kept in memory per web process and served without
 * touching React Router or the database. Only anonymous requests use it; entries hold no
 * per-visitor data (the CSRF token is left out of cached renders). An entry is dropped when the
 * CV changes: in this process directly, in the others by PostgreSQL NOTIFY.
 *
 * An outsider must not be able to fill it: an entry is keyed only on what changes the page (the
 * slug of a published CV and one of the supported languages — never a raw cookie or header), and
 * the cache is bounded in bytes (body and gzip copy), the least recently served going first.
 *
 * A NOTIFY can be lost (the LISTEN connection dropped, a process that never listened), so an entry
 * also ages out on its own: it is served as is for `freshMs`, then still served for the visitors of
 * the moment while one render runs beside to replace it, and never once it is `maxAgeMs` old
 * (counted from the start of the render that made it). A CV hidden, unpublished or erased is
 * therefore gone from every process within `maxAgeMs`, NOTIFY or not (decision 021).
 */
export type CachedPage = { status: number; headers: [string, string][]; body: Buffer; gzip: Buffer; born: number };

/** How long an entry is served without a refresh, and the age past which it is never served. */
export const PAGE_AGES = { freshMs: 1000, maxAgeMs: 1500 } as const;

export class PublicPageCache {
  private readonly pages = new Map<string, CachedPage>();
  private readonly pending = new Map<string, Promise<CachedPage | null>>();
  /** Bumped on every eviction of a slug: a render started before it is not stored. */
  private readonly generations = new Map<string, number>();
  private readonly evictListeners: ((slug: string) => void)[] = [];

  private totalBytes = 0;

  /** 64 MB by default: about two thousand CV pages in both languages. */
  constructor(
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly ages: { freshMs: number; maxAgeMs: number } = PAGE_AGES,
    private readonly now: () => number = Date.now,
  ) {}

  key(slug: string, locale: Locale) {
    return `${slug}\u0000${locale}`;
  }

  /** The page if it may still be served (younger than `maxAgeMs`): one timestamp compare. */
  get(slug: string, locale: Locale): CachedPage | undefined {
    const key = this.key(slug, locale);
    const page = this.pages.get(key);
    if (!page) return undefined;
    if (this.now() - page.born >= this.ages.maxAgeMs) {
      this.remove(key);
      return undefined;
    }
    // Most recently served last: eviction takes the coldest page.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  /** Past `freshMs`: still served, but a new render should replace it (`fill`, once per key). */
  isStale(page: CachedPage) {
    return this.now() - page.born >= this.ages.freshMs;
  }

  private static bytesOf(page: Omit<CachedPage, "born">) {
    return page.body.length + page.gzip.length + page.headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0);
  }

  private remove(key: string) {
    const page = this.pages.get(key);
    if (!page) return;
    this.pages.delete(key);
    this.totalBytes -= PublicPageCache.bytesOf(page);
  }

  /** Renders once for concurrent misses, and stores the result if nothing changed meanwhile. */
  async fill(slug: string, locale: Locale, render: () => Promise<{ status: number; headers: [string, string][]; body: Buffer }>): Promise<CachedPage | null> {
    const key = this.key(slug, locale);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const generation = this.generations.get(slug) ?? 0;
    // The page is as old as the data it was rendered from: at most the start of the render.
    const born = this.now();
    const promise = render()
      .then((page) => {
        if (page.status !== 200) {
          // Hidden or gone meanwhile: the copy still held (a stale one being refreshed) goes too.
          this.remove(key);
          return null;
        }
        const entry: CachedPage = { ...page, gzip: gzipSync(page.body, { level: 9 }), born };
        const bytes = PublicPageCache.bytesOf(entry);
        if ((this.generations.get(slug) ?? 0) === generation && bytes <= this.maxBytes) {
          this.remove(key);
          while (this.totalBytes + bytes > this.maxBytes && this.pages.size > 0) this.remove(this.pages.keys().next().value!);
          this.pages.set(key, entry);
          this.totalBytes += bytes;
        }
        return entry;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }

  /** Other per-slug caches (e.g. event ingestion's slug lookups) dropped with the page. */
  onEvict(listener: (slug: string) => void) {
    this.evictListeners.push(listener);
  }

  evict(slug: string) {
    for (const listener of this.evictListeners) listener(slug);
    this.generations.set(slug, (this.generations.get(slug) ?? 0) + 1);
    for (const key of [...this.pages.keys()]) if (key.startsWith(`${slug}\u0000`)) this.remove(key);
  }

  /** Forgets every page (NOTIFYs may have been missed while the LISTEN connection was down). */
  clear() {
    const slugs = new Set([...this.pages.keys(), ...this.pending.keys()].map((key) => key.split("\u0000")[0]!));
    for (const slug of slugs) this.evict(slug);
    this.pages.clear();
  }

  get size() {
    return this.pages.size;
  }

  /** What the entries weigh, bodies, gzip copies and headers together. */
  get bytes() {
    return this.totalBytes;
  }
}
