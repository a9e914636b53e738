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
  /** LISTEN on a channel: NOTIFY from any process (on commit) reaches the callback. */
  listen: (channel: string, callback: (payload: string) => void) => Promise<() => Promise<void>>;
  close: () => Promise<void>;
};

/** The extensions every data directory is opened with (PGlite must load the same set each time). */
export const pgliteExtensions = { unaccent, pg_trgm };

export class DataDirLockedError extends Error {}

export function openServerDatabase(databaseUrl: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10 });
  pool.on("error", (error: Error & { code?: string }) => {
    // 57P01: the server closed an idle connection (restart, failover, database dropped). The pool
    // opens a new one on the next query: worth a warning, not an error.
    if (error.code === "57P01") logger.warn({ err: error }, "PostgreSQL closed an idle connection");
    else logger.error({ err: error }, "PostgreSQL pool error");
  });
  const listeners: pg.Client[] = [];
  return {
    kind: "server",
    pool,
    db: drizzle(pool, { schema }),
    // A dedicated connection per channel: a pooled one would drop LISTEN when returned.
    async listen(channel, callback) {
      const client = new pg.Client({ connectionString: databaseUrl });
      client.on("error", (error) => logger.error({ err: error, channel }, `LISTEN ${channel} lost`));
      await client.connect();
      client.on("notification", (message) => message.channel === channel && callback(message.payload ?? ""));
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end();
      };
    },
    close: async () => {
      await Promise.all(listeners.splice(0).map((client) => client.end()));
      await pool.end();
    },
  };
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
