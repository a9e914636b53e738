import { benchCvPage } from "./cv-page";
import { benchEvents } from "./events";
import { benchGallery } from "./gallery";
import { benchRender } from "./render";
import { logger } from "../app/logger.server";

/**
 * `npm run bench`: every performance target, each printed with its figure. Runs the server-side
 * gallery on PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set, or the default
 * local server at 127.0.0.1:5432 when it answers.
 * `npm run bench -- quick` uses smaller volumes for a fast check.
 * `npm run bench -- events` runs only event ingestion (60 s per engine; with `quick`, 10 s).
 */
const quick = process.argv.includes("quick");
// The figures stay readable: no request lines in between (`LOG_LEVEL=info` measures with them;
// the public page cache logs nothing below debug either way).
logger.level = process.env.LOG_LEVEL ?? "warn";
const volume = quick ? { candidates: 5000, published: 1000, runs: 60 } : { candidates: 50_000, published: 10_000, runs: 120 };

const eventsOnly = process.argv.includes("events");

console.log(`LinkedOut benchmarks${quick ? " (quick)" : ""}${eventsOnly ? " — event ingestion only" : ""} — ${new Date().toISOString()}`);
if (!eventsOnly) {
  await benchRender(quick ? 5 : 20);
  await benchCvPage({ seconds: quick ? 3 : 10 });
  await benchGallery("pglite", volume);
  try {
    await benchGallery("pg", volume);
  } catch (error) {
    console.log(`gallery on a PostgreSQL server: not measured (${(error as Error).message})`);
  }
}
const events = { seconds: quick ? 10 : 60, cvs: 200 };
try {
  await benchEvents("pg", events);
} catch (error) {
  console.log(`event ingestion on a PostgreSQL server: not measured (${(error as Error).message})`);
}
await benchEvents("pglite", events);
process.exit(0);
