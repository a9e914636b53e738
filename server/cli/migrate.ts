import { ConfigError, loadConfig } from "../../app/config.server";
import { DataDirLockedError, openEmbeddedDatabase, openServerDatabase } from "../../app/db/client.server";
import { runMigrations } from "../../app/db/migrate.server";

/** `npm run db:migrate`: applies the committed SQL migrations and exits (plain text for the person who ran it, as every CLI here). */
try {
  const config = loadConfig();
  const database = config.databaseUrl ? openServerDatabase(config.databaseUrl, { max: 1 }) : await openEmbeddedDatabase(config.dataDir);
  try {
    await runMigrations(database);
    console.log("Migrations appliquées.");
  } finally {
    await database.close();
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
