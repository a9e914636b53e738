import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { openServerDatabase, pgliteExtensions, wrapPglite, type Database } from "../../app/db/client.server";
import { runMigrations } from "../../app/db/migrate.server";

/**
 * Test databases. Migrations run once per test run (global setup) into a template: a PGlite dump,
 * and on a server a template database. Each test file then starts from a copy in a second or less.
 */
export const cacheDir = path.resolve(import.meta.dirname, "..", ".cache");
export const pgliteTemplate = path.join(cacheDir, "pglite-template.tar");
/** Several checkouts may test against one server at once: each can name its own template. */
export const SERVER_TEMPLATE = (process.env.TEST_TEMPLATE_DATABASE ?? "linkedout_test_template").toLowerCase();

export function engine(): "pglite" | "pg" {
  return process.env.TEST_ENGINE === "pg" ? "pg" : "pglite";
}

export function serverUrl(database?: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test");
  if (database) url.pathname = `/${database}`;
  return url.toString();
}

export async function buildPgliteTemplate(): Promise<void> {
  fs.mkdirSync(cacheDir, { recursive: true });
  const lite = await PGlite.create({ extensions: pgliteExtensions });
  const database = wrapPglite(lite, async () => undefined);
  await runMigrations(database);
  await database.pool.end();
  const dump = await lite.dumpDataDir("none");
  fs.writeFileSync(pgliteTemplate, Buffer.from(await dump.arrayBuffer()));
  await lite.close();
}

export async function buildServerTemplate(): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${SERVER_TEMPLATE} with (force)`);
    await admin.query(`create database ${SERVER_TEMPLATE}`);
  } finally {
    await admin.end();
  }
  const database = openServerDatabase(serverUrl(SERVER_TEMPLATE), { max: 1 });
  await runMigrations(database);
  await database.close();
}

/** A fresh, migrated database of the engine under test, private to the caller. */
export async function openTestDatabase(): Promise<Database> {
  if (engine() === "pglite") {
    const lite = await PGlite.create({
      extensions: pgliteExtensions,
      loadDataDir: new Blob([fs.readFileSync(pgliteTemplate)]),
    });
    return wrapPglite(lite);
  }
  const name = `linkedout_test_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${SERVER_TEMPLATE}`);
  } finally {
    await admin.end();
  }
  const database = openServerDatabase(serverUrl(name), { max: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: serverUrl() });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** An empty database on the server (no migrations), dropped by the returned function. */
export async function createEmptyServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `linkedout_empty_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: serverUrl(name),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl() });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * A database that outlives one app, to test a restart: `open()` it, give it to
 * `startTestApp({ database })`, close the app (which closes it), `open()` it again for the next
 * app, and `drop()` it at the end. PGlite keeps it in a temporary data directory (closed before
 * being reopened: one process, one owner at a time); a server keeps a private copy of the template.
 */
export async function createDurableTestDatabase(): Promise<{ open: () => Promise<Database>; drop: () => Promise<void> }> {
  if (engine() === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkedout-test-"));
    let loaded = false;
    return {
      async open() {
        const lite = await PGlite.create(dir, {
          extensions: pgliteExtensions,
          ...(loaded ? {} : { loadDataDir: new Blob([fs.readFileSync(pgliteTemplate)]) }),
        });
        loaded = true;
        return wrapPglite(lite);
      },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `linkedout_test_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${SERVER_TEMPLATE}`);
  } finally {
    await admin.end();
  }
  return {
    open: async () => openServerDatabase(serverUrl(name), { max: 5 }),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl() });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
