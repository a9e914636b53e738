import { ConfigError, loadConfig } from "../app/config.server";
import { boot, keepRunningThroughDatabaseOutages } from "./boot";
import { logger } from "../app/logger.server";

/**
 * `npm run worker`: job workers in their own process, for deployments on a PostgreSQL server
 * (web processes then run with WORKERS=off). Never on the embedded database: one process only.
 */
async function main() {
  keepRunningThroughDatabaseOutages();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (!config.databaseUrl) {
    logger.fatal("npm run worker a besoin de DATABASE_URL : en mode embarqué, les tâches tournent déjà dans le processus de npm start.");
    process.exit(1);
  }
  const runtime = await boot({ ...config, seedDemo: false }, { workers: true });
  logger.info("Tâches en attente : le worker LinkedOut écoute la file.");
  const shutdown = async () => {
    setTimeout(() => process.exit(1), 10_000).unref();
    await runtime.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

await main();
