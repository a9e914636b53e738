import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { createPgConfig } from "@electric-sql/pglite/node-postgres";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle, type NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";
import pg from "pg";
import * as schema from "./schema";
import { isDatabaseUnavailable } from "./unavailable";
import { logger } from "~/logger.server";

/** The database or a transaction on it: domain functions accept either. */
export type Db = PgDatabase<NodePgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;

/**
 * One database handle for the whole process. Both engines are reached through a `pg.Pool`,
 * so every query, transaction and the job queue run the same code on PGlite and on a server.
 */
export type Database = {
  kind: "pglite" | "server";
  db: Db;
  pool: pg.Pool;
  /**
   * LISTEN on a channel: NOTIFY from any process (on commit) reaches the callback. On a server the
   * connection comes back after a restart; `onReconnect` is then called, since NOTIFYs sent while
   * it was away were lost.
   */
  listen: (channel: string, callback: (payload: string) => void, options?: { onReconnect?: () => void }) => Promise<() => Promise<void>>;
  close: () => Promise<void>;
};

/** The extensions every data directory is opened with (PGlite must load the same set each time). */
export const pgliteExtensions = { unaccent, pg_trgm };

export class DataDirLockedError extends Error {}

export function openServerDatabase(databaseUrl: string, options: { max?: number } = {}): Database {
  // A request waits at most 10 s for a connection (the server gone, or every one busy): then it
  // fails as "unavailable" (a 503) instead of hanging.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
  // The pool reports errors of idle connections. A connection checked out by a request or a
  // transaction has no listener of the pool's: its 'error' (the server restarting under it) would
  // be an uncaught exception that kills the process. Every connection gets one for its whole life;
  // the query under way fails on its own, and the request answers 503.
  pool.on("connect", (client) => client.on("error", (error) => logConnectionError("PostgreSQL connection lost", error)));
  pool.on("error", (error) => {
    // Already told by the connection's own listener when the database is unreachable.
    if (!isDatabaseUnavailable(error)) logger.error({ err: error }, "PostgreSQL pool error");
  });
  const listeners = new Set<Listener>();
  return {
    kind: "server",
    pool,
    db: drizzle(pool, { schema }),
    // A dedicated connection per channel: a pooled one would drop LISTEN when returned.
    async listen(channel, callback, listenOptions = {}) {
      const listener = new Listener(databaseUrl, channel, callback, listenOptions.onReconnect);
      await listener.start();
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        await listener.stop();
      };
    },
    close: async () => {
      await Promise.all([...listeners].map((listener) => listener.stop()));
      listeners.clear();
      await pool.end();
    },
  };
}

function logConnectionError(what: string, error: Error) {
  if (isDatabaseUnavailable(error)) logger.warn({ err: error }, what);
  else logger.error({ err: error }, what);
}

/**
 * One LISTEN connection that comes back by itself: when the server closes it (a restart), it
 * reconnects with a growing wait (0.25 s, 0.5 s… at most 10 s) and LISTENs again. NOTIFYs sent
 * while it was away are lost, so `onReconnect` tells the owner to drop what it may hold stale.
 */
class Listener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly callback: (payload: string) => void,
    private readonly onReconnect?: () => void,
  ) {}

  async start() {
    const client = new pg.Client({ connectionString: this.url });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      logger.warn({ err: error, channel: this.channel }, `LISTEN ${this.channel} lost; reconnecting`);
      this.schedule();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    client.on("notification", (message) => message.channel === this.channel && this.callback(message.payload ?? ""));
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(this.channel)}`);
    } catch (error) {
      client.removeAllListeners("end");
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.failures = 0;
  }

  private schedule() {
    if (this.stopped || this.retry) return;
    const delay = Math.min(10_000, 250 * 2 ** this.failures++);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.stopped) return;
      this.start().then(
        () => {
          logger.warn({ channel: this.channel }, `LISTEN ${this.channel} back`);
          this.onReconnect?.();
        },
        (error: Error) => {
          logConnectionError(`LISTEN ${this.channel} not back yet`, error);
          this.schedule();
        },
      );
    }, delay);
    this.retry.unref();
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

/** Wraps an already-open PGlite instance (tests load one from a dump). */
export function wrapPglite(lite: PGlite, onClose: () => Promise<void> = () => lite.close()): Database {
  const config = createPgConfig(lite);
  // node-postgres hands its per-query type parsers (an object) to `parse` as `types`, and real
  // servers ignore it; PGlite's adapter expects an array of parameter types and would wedge.
  const connection = config.connection as unknown as { parse: (query: { types?: unknown }) => void };
  const parse = connection.parse.bind(connection);
  connection.parse = (query) => parse({ ...query, types: Array.isArray(query.types) ? query.types : undefined });
  // A single connection: PGlite is one backend, and a transaction must own it until it ends.
  const pool = new pg.Pool({ ...config, max: 1 } as pg.PoolConfig);
  return {
    kind: "pglite",
    pool,
    db: drizzle(pool, { schema }),
    listen: async (channel, callback) => {
      const unlisten = await lite.listen(channel, callback);
      return () => unlisten();
    },
    close: async () => {
      await pool.end();
      await onClose();
    },
  };
}

/**
 * Opens (creating on first use) the embedded database in `dataDir`. A lock file keeps a
 * second process away: two processes on one PGlite directory lose writes silently.
 */
export async function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const release = acquireLock(path.join(dir, "linkedout.lock"));
  try {
    const lite = await PGlite.create(path.join(dir, "pgdata"), { extensions: pgliteExtensions });
    return wrapPglite(lite, async () => {
      await lite.close();
      release();
    });
  } catch (error) {
    release();
    throw error;
  }
}

function acquireLock(lockPath: string): () => void {
  const tryCreate = () => fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
  try {
    tryCreate();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = Number(fs.readFileSync(lockPath, "utf8").trim());
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new DataDirLockedError(
        `Le dossier de données ${path.dirname(lockPath)} est déjà utilisé par le processus ${holder} : un seul processus peut l'ouvrir (arrêtez l'autre, ou choisissez un autre DATA_DIR).`,
      );
    }
    // The previous holder died without cleaning up: take the lock over.
    fs.rmSync(lockPath, { force: true });
    tryCreate();
  }
  return () => {
    try {
      if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.rmSync(lockPath, { force: true });
    } catch {
      // already gone
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
