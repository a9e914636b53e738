import { spawn } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { aPublishedCv } from "../app/db/factories";
import { ingestStats } from "../app/domain/sharing/ingest";
import { benchDatabase, fmt, startBenchApp } from "./support";

type LoadReport = {
  sent: number;
  duplicates: number;
  errors: number;
  unexpected: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  expectedViews: number;
  expectedShares: number;
};

const root = path.resolve(import.meta.dirname, "..");

/** The load generator in its own process, so it does not share the server's event loop. */
function sendEvents(input: { url: string; slugs: string[]; seconds: number; connections: number; label: string }): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "bench", "event-load.ts"), JSON.stringify(input)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        resolve(JSON.parse(out) as LoadReport);
      } catch {
        reject(new Error(`the load generator stopped (code ${code}): ${out.slice(0, 200)}`));
      }
    });
  });
}

/**
 * Event ingestion: view pixels and share clicks (plain link with its thank-you page, direct
 * redirect, copy-link beacon), each from a distinct visitor (own address
 * through X-Forwarded-For, the app trusting one proxy hop, so the per-address limits do not
 * apply), one in ten a deliberate duplicate. Targets: ≥ 2,000 events/s sustained, p99 ≤ 200 ms,
 * and zero events lost: the rows in view_events/share_events (and the public_cvs counters)
 * equal the distinct events answered. 128 visitors at a time by default: events are written by
 * group commit, so the rate grows with how many arrive together (64 give ~2,300/s here, 128
 * ~4,000/s, 256 ~5,000/s on the server, with p99 rising from ~60 to ~160 ms).
 */
export async function benchEvents(engine: "pglite" | "pg", options: { seconds: number; cvs: number; connections?: number }) {
  const database = await benchDatabase(engine);
  const app = await startBenchApp(database, { env: { TRUST_PROXY: "1" } });
  try {
    const slugs: string[] = [];
    for (let i = 0; i < options.cvs; i++) slugs.push((await aPublishedCv(database.db)).cv.slug);
    const connections = options.connections ?? 128;
    // A short warm-up first (JIT, sockets, pool, caches), its events stored and checked too.
    const warmUp = await sendEvents({ url: app.url, slugs, seconds: 2, connections, label: "warm-up" });
    const report = await sendEvents({ url: app.url, slugs, seconds: options.seconds, connections, label: "run" });
    const rows = async (query: ReturnType<typeof sql>) => Number((await database.db.execute<{ n: number }>(query)).rows[0]?.n ?? 0);
    const viewRows = await rows(sql`select count(*)::int as n from view_events`);
    const shareRows = await rows(sql`select count(*)::int as n from share_events`);
    const counters = await database.db.execute<{ views: number; shares: number }>(
      sql`select coalesce(sum(views), 0)::int as views, coalesce(sum(shares), 0)::int as shares from public_cvs`,
    );
    const counted = counters.rows[0]!;
    const expectedViews = warmUp.expectedViews + report.expectedViews;
    const expectedShares = warmUp.expectedShares + report.expectedShares;
    const expected = expectedViews + expectedShares;
    const errors = warmUp.errors + report.errors;
    const unexpected = warmUp.unexpected + report.unexpected;
    const lost = expected - (viewRows + shareRows);
    const consistent = Number(counted.views) === viewRows && Number(counted.shares) === shareRows;
    const name = engine === "pg" ? "PostgreSQL server" : "PGlite";
    const rate = report.eventsPerSecond;
    console.log(
      `event ingestion on ${name} (${options.cvs} CVs, ${fmt(report.seconds, 0)} s): ${fmt(rate, 0)} events/s (target ≥ 2000) ${rate >= 2000 ? "OK" : "BELOW TARGET"}, ` +
        `p50 ${fmt(report.p50Ms)} ms, p99 ${fmt(report.p99Ms)} ms (target ≤ 200) ${report.p99Ms <= 200 ? "OK" : "ABOVE TARGET"}`,
    );
    const stored = viewRows + shareRows;
    console.log(
      `  sent ${warmUp.sent + report.sent} (${warmUp.sent} in a 2 s warm-up) = ${expected} distinct events expected + ${warmUp.duplicates + report.duplicates} duplicates by design (to be dropped); ` +
        `stored ${stored} (view_events ${viewRows} / expected ${expectedViews}, share_events ${shareRows} / expected ${expectedShares}); ` +
        `${errors} errors, ${unexpected} unexpected answers; counters ${consistent ? "match the rows" : `DIFFER (views ${counted.views}, shares ${counted.shares})`}; ` +
        `${lost === 0 && errors === 0 && unexpected === 0 && consistent ? "zero lost" : `${lost} LOST`}`,
    );
    const batches = ingestStats(app.runtime.services.db); // warm-up included
    console.log(
      `  group commit: ${batches.batches} statements, ${fmt(batches.rows / Math.max(1, batches.batches))} rows each on average, ` +
        `${fmt(batches.ms / Math.max(1, batches.batches))} ms each on average`,
    );
    return { report, viewRows, shareRows, lost, consistent };
  } finally {
    await app.close(); // closes (and, on the server, drops) the database too
  }
}
