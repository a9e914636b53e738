import { logger } from "../app/logger.server";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type PgBoss from "pg-boss";
import type { Config } from "../app/config.server";
import { openEmbeddedDatabase, openServerDatabase, type Database } from "../app/db/client.server";
import { runMigrations } from "../app/db/migrate.server";
import { isDatabaseUnavailable } from "../app/db/unavailable";
import { seedDemoIfEmpty } from "../app/db/seed.server";
import { startQueue, startWorkers, stopQueue } from "../app/jobs/queue.server";
import type { RequestContext } from "../app/http/context";

export type Runtime = {
  database: Database;
  boss: PgBoss;
  services: RequestContext["services"];
  seeded: boolean;
  stop: () => Promise<void>;
};

/** The embedded mode keeps its session secret in the data directory, created once. */
function sessionSecretFor(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  if (config.databaseUrl) return randomBytes(32).toString("hex"); // development only (checked at boot)
  const file = path.join(path.resolve(config.dataDir), "session-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/** Opens the database, applies migrations, seeds the demo and starts the queue. */
export async function boot(config: Config, options: { workers?: boolean; database?: Database } = {}): Promise<Runtime> {
  const database =
    options.database ?? (config.databaseUrl ? openServerDatabase(config.databaseUrl) : await openEmbeddedDatabase(config.dataDir));
  try {
    await runMigrations(database);
    const seeded = config.seedDemo ? await seedDemoIfEmpty(database.db) : false;
    const { boss, queue } = await startQueue(database);
    const services = { config, db: database.db, queue, sessionSecret: sessionSecretFor(config) };
    if (options.workers ?? config.workers === "inline") await startWorkers(boss, services);
    return {
      database,
      boss,
      services,
      seeded,
      stop: async () => {
        await stopQueue(boss);
        await database.close();
      },
    };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Last line of defence (decision 016): a promise rejected by a lost database connection that no
 * code awaited must not take the whole process down; it serves again when the database is back.
 * Any other unhandled rejection still ends the process, as Node does by default.
 */
export function keepRunningThroughDatabaseOutages() {
  process.on("unhandledRejection", (reason) => {
    if (isDatabaseUnavailable(reason)) {
      logger.warn({ err: reason }, "Database unavailable (unhandled)");
      return;
    }
    throw reason;
  });
}
