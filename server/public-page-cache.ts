import { gzipSync } from "node:zlib";

/**
 * Rendered public pages (the "viral CV" case), kept in memory per web process and served without
 * touching React Router or the database. Only anonymous requests use it; entries hold no
 * per-visitor data (the CSRF token is left out of cached renders). An entry is dropped when the
 * CV changes: in this process directly, in the others by PostgreSQL NOTIFY.
 */
export type CachedPage = { status: number; headers: [string, string][]; body: Buffer; gzip: Buffer };

export class PublicPageCache {
  private readonly pages = new Map<string, CachedPage>();
  private readonly pending = new Map<string, Promise<CachedPage | null>>();
  /** Bumped on every eviction of a slug: a render started before it is not stored. */
  private readonly generations = new Map<string, number>();
  private readonly evictListeners: ((slug: string) => void)[] = [];

  constructor(private readonly maxEntries = 5000) {}

  key(slug: string, locale: string) {
    return `${slug}\u0000${locale}`;
  }

  get(slug: string, locale: string): CachedPage | undefined {
    return this.pages.get(this.key(slug, locale));
  }

  /** Renders once for concurrent misses, and stores the result if nothing changed meanwhile. */
  async fill(slug: string, locale: string, render: () => Promise<{ status: number; headers: [string, string][]; body: Buffer }>): Promise<CachedPage | null> {
    const key = this.key(slug, locale);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const generation = this.generations.get(slug) ?? 0;
    const promise = render()
      .then((page) => {
        if (page.status !== 200) return null;
        const entry: CachedPage = { ...page, gzip: gzipSync(page.body, { level: 9 }) };
        if ((this.generations.get(slug) ?? 0) === generation) {
          if (this.pages.size >= this.maxEntries) this.pages.delete(this.pages.keys().next().value!);
          this.pages.set(key, entry);
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
    for (const key of this.pages.keys()) if (key.startsWith(`${slug}\u0000`)) this.pages.delete(key);
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
}
