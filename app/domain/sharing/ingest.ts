import type { Db } from "~/db/client.server";
import type { Locale, ShareNetwork } from "~/db/schema";
import { otherCvs } from "~/domain/cv/public-reads";
import { translator, type MessageKey } from "~/i18n";
import { networkOf } from "~/domain/offers/submission-spam";
import { eventKey, eventRow, findSharedCv, isRobot, isShareNetwork, recordEvents, type Client, type EventRow } from "./events";
import { shareLinkFor } from "./share-links";
import { shareTarget } from "./share-targets";
import { shareText } from "./share-text";
import { thankYouPage } from "./thank-you-page";
import { parisDay } from "./visitors";

/**
 * Event ingestion (view pixels and share clicks) at thousands of events per second: the lookups
 * of every event come from memory, events are written by group commit (one statement per batch,
 * views and shares together), and the flood limit is counted in memory. See
 * docs/decisions/009-event-ingestion.md.
 *
 * The state lives per database handle in a registry on `globalThis`: the node:http fast path
 * (server/http.ts) and the React Router routes (the production build) are two copies of this
 * module in one process, and must share one batcher and one set of caches.
 */
export type IngestServices = { db: Db; sessionSecret: string; config: { publicUrl: string } };
export type SharedCv = { cvId: string; firstName: string };

/** The per-address flood limits of the two endpoints, per minute. */
export const FLOOD_LIMITS = { view: 600, share: 120 } as const;
/** The 1×1 transparent GIF of the view pixel. */
export const VIEW_PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
/** Rows per statement: big enough to amortise a round trip, small enough to stay quick. */
const MAX_BATCH = 2000;

type Waiter = { row: EventRow; key: string; resolve: (counted: boolean) => void; reject: (error: unknown) => void };

/**
 * Group commit: events wait in a queue while the previous batch is being written; at most one
 * statement is in flight (views and shares together). Each caller is answered once its batch has
 * committed.
 */
class GroupCommit {
  private queue: Waiter[] = [];
  private flushing = false;
  /** For the benchmark: how the batches went. */
  readonly stats = { batches: 0, rows: 0, ms: 0 };

  constructor(private readonly db: Db) {}

  add(row: EventRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, key: eventKey(row), resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the requests already read in this turn of the event loop join the first batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private write(rows: EventRow[]) {
    return recordEvents(this.db, { views: rows.filter((r) => !r.network), shares: rows.filter((r) => r.network) });
  }

  private async flush() {
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
      // One row per key: a visitor twice in one batch is one event, counted for the first only.
      const rows = new Map<string, EventRow>();
      for (const waiter of batch) if (!rows.has(waiter.key)) rows.set(waiter.key, waiter.row);
      let counted: Set<string>;
      const started = performance.now();
      try {
        counted = await this.write([...rows.values()]);
        this.stats.batches++;
        this.stats.rows += rows.size;
        this.stats.ms += performance.now() - started;
      } catch {
        // One bad row (e.g. a share link deleted meanwhile) must not sink the others: row by row.
        counted = new Set();
        const failed = new Map<string, unknown>();
        for (const [key, row] of rows) {
          try {
            for (const k of await this.write([row])) counted.add(k);
          } catch (error) {
            failed.set(key, error);
          }
        }
        for (const waiter of batch) if (failed.has(waiter.key)) waiter.reject(failed.get(waiter.key));
      }
      for (const waiter of batch) waiter.resolve(counted.delete(waiter.key));
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    } finally {
      if (this.queue.length > 0) setImmediate(() => void this.flush());
      else this.flushing = false;
    }
  }
}

/** A fixed one-minute window per key, in memory: one more database round trip per event saved. */
class FloodLimiter {
  private window = 0;
  private counts = new Map<string, number>();

  allow(key: string, limit: number): boolean {
    const window = Math.floor(Date.now() / 60_000);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const used = this.counts.get(key) ?? 0;
    if (used >= limit) return false;
    this.counts.set(key, used + 1);
    return true;
  }
}

type Timed<T> = { value: T; until: number };

class IngestState {
  readonly events: GroupCommit;
  readonly limiter = new FloodLimiter();
  /**
   * slug → CV, dropped when the CV changes (`evictSharedCv`, called on `public_cv_changed`) and in
   * any case after `SLUG_TTL_MS`: a lost NOTIFY never keeps a hidden CV counting for long.
   */
  readonly cvs = new Map<string, Timed<SharedCv>>();
  readonly pendingCvs = new Map<string, Promise<SharedCv | null>>();
  readonly generations = new Map<string, number>();
  /** `${cvId} ${code}` → share link id (a cohort link covers a CV while it is a member: kept briefly). */
  readonly links = new Map<string, Timed<string>>();
  leastShared: Timed<{ slug: string; firstName: string }[]> | null = null;

  constructor(db: Db) {
    this.events = new GroupCommit(db);
  }
}

const registry: WeakMap<Db, IngestState> = ((globalThis as Record<symbol, unknown>)[Symbol.for("linkedout.event-ingest")] ??= new WeakMap()) as WeakMap<Db, IngestState>;

function stateOf(db: Db): IngestState {
  let state = registry.get(db);
  if (!state) registry.set(db, (state = new IngestState(db)));
  return state;
}

const MAX_ENTRIES = 20_000;
/** How long a slug lookup is trusted without a NOTIFY (the bound of the public page cache's, decision 021). */
export const SLUG_TTL_MS = 1000;
function remember<K, V>(map: Map<K, V>, key: K, value: V) {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/** Batches written so far through this database handle, their rows and time (for `bench/events.ts`). */
export function ingestStats(db: Db) {
  return { ...stateOf(db).events.stats };
}

/** The public CV behind a slug, from memory after the first time. */
export async function sharedCv(db: Db, slug: string): Promise<SharedCv | null> {
  const state = stateOf(db);
  const known = state.cvs.get(slug);
  if (known && known.until > Date.now()) return known.value;
  const inFlight = state.pendingCvs.get(slug);
  if (inFlight) return inFlight;
  const generation = state.generations.get(slug) ?? 0;
  // Trusted from the moment the lookup starts: the row may change right after it is read.
  const until = Date.now() + SLUG_TTL_MS;
  const lookup = findSharedCv(db, slug)
    .then((cv) => {
      // An unknown slug is not remembered: a CV published a moment later must count at once.
      if (cv && (state.generations.get(slug) ?? 0) === generation) remember(state.cvs, slug, { value: cv, until });
      else state.cvs.delete(slug);
      return cv;
    })
    .finally(() => state.pendingCvs.delete(slug));
  state.pendingCvs.set(slug, lookup);
  return lookup;
}

/** The CV changed (hidden, unpublished, renamed…): the next event looks it up again. */
export function evictSharedCv(db: Db, slug: string) {
  const state = stateOf(db);
  state.generations.set(slug, (state.generations.get(slug) ?? 0) + 1);
  state.cvs.delete(slug);
}

/** Forgets every remembered CV and link (changes may have been missed: the LISTEN connection was down). */
export function forgetSharedCvs(db: Db) {
  const state = stateOf(db);
  for (const slug of [...state.cvs.keys(), ...state.pendingCvs.keys()]) evictSharedCv(db, slug);
  state.links.clear();
  state.leastShared = null;
}

/** The personal share link of `?via=CODE`, remembered ten seconds (cohort membership may change). */
async function shareLinkId(db: Db, cvId: string, code: string | null): Promise<string | null> {
  if (!code) return null;
  const state = stateOf(db);
  const key = `${cvId} ${code}`;
  const known = state.links.get(key);
  if (known && known.until > Date.now()) return known.value;
  const link = await shareLinkFor(db, cvId, code);
  if (link) remember(state.links, key, { value: link.id, until: Date.now() + 10_000 });
  return link?.id ?? null;
}

/** Another CV to share, one of the least shared (the choice is refreshed every half minute). */
export async function leastSharedOther(db: Db, exceptSlug: string): Promise<{ slug: string; firstName: string } | null> {
  const state = stateOf(db);
  if (!state.leastShared || state.leastShared.until < Date.now()) {
    const cards = await otherCvs(db, "", 4);
    state.leastShared = { value: cards.map((c) => ({ slug: c.slug, firstName: c.firstName })), until: Date.now() + 30_000 };
  }
  return state.leastShared.value.find((cv) => cv.slug !== exceptSlug) ?? null;
}

/** The day in France, worked out once a second (an Intl formatter per event costs dearly). */
let day = { value: "", until: 0 };
function today(): string {
  const now = Date.now();
  if (now >= day.until) day = { value: parisDay(new Date(now)), until: now + 1000 };
  return day.value;
}

async function record(services: IngestServices, kind: "view" | "share", cv: SharedCv, client: Client, via: string | null, network?: ShareNetwork): Promise<boolean> {
  if (isRobot(client.userAgent)) return false;
  const state = stateOf(services.db);
  // Past the limit an address is still answered as usual, but records nothing.
  // By address (an IPv6 subscriber's whole /64): rotating within one's own block is one address.
  if (!state.limiter.allow(`${kind} ${networkOf(client.ip)}`, FLOOD_LIMITS[kind])) return false;
  const row: EventRow = {
    ...eventRow(services.sessionSecret, cv.cvId, client, await shareLinkId(services.db, cv.cvId, via), today()),
    ...(network ? { network } : {}),
  };
  return state.events.add(row);
}

/**
 * Counts a view of a public CV (once per visitor and day), attributed to the personal link of
 * `via` if any. The caller has already ruled out the CV's own people. Resolves once committed.
 */
export function countView(services: IngestServices, cv: SharedCv, client: Client, via: string | null): Promise<boolean> {
  return record(services, "view", cv, client, via);
}

/** Counts a share intent (once per visitor, CV, network and day). Resolves once committed. */
export function countShare(services: IngestServices, cv: SharedCv, network: ShareNetwork, client: Client, via: string | null): Promise<boolean> {
  return record(services, "share", cv, client, via, network);
}

export { isShareNetwork };

/**
 * What a share link answers: the network's share address (`direct`, used by the buttons once
 * JavaScript runs) or, for a plain link without JavaScript, the thank-you page leading there.
 */
export async function shareAnswer(
  services: IngestServices,
  input: { slug: string; cv: SharedCv; network: ShareNetwork; locale: Locale; direct: boolean },
): Promise<{ location: string } | { html: string }> {
  const { slug, cv, network, locale } = input;
  const t = translator(locale);
  const url = `${services.config.publicUrl}/cv/${slug}`;
  const text = await shareText(services.db, cv.firstName, locale);
  const target = shareTarget(network, url, text, t("share.subject", { firstName: cv.firstName })) ?? `/cv/${slug}`;
  if (input.direct) return { location: target };
  const another = await leastSharedOther(services.db, slug);
  return {
    html: thankYouPage({ locale, firstName: cv.firstName, slug, network: t(`share.network.${network}` as MessageKey), target, another }),
  };
}
