import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { loadConfig } from "../app/config.server";
import { openServerDatabase, pgliteExtensions, wrapPglite, type Database } from "../app/db/client.server";
import { PUBLIC_CV_CHANGED } from "../app/domain/cv/projection";
import { boot } from "../server/boot";
import { createRequestListener, loadProductionBuild } from "../server/http";

const root = path.resolve(import.meta.dirname, "..");

/** A database for a benchmark: PGlite in memory, or a fresh database on the server. */
export async function benchDatabase(engine: "pglite" | "pg"): Promise<Database> {
  if (engine === "pglite") return wrapPglite(await PGlite.create({ extensions: pgliteExtensions }));
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const name = `linkedout_bench_${Date.now()}`;
  const admin = openServerDatabase(base, { max: 1 });
  await admin.pool.query(`create database ${name}`);
  await admin.close();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = openServerDatabase(url.toString(), { max: 10 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const cleanup = openServerDatabase(base, { max: 1 });
      await cleanup.pool.query(`drop database if exists ${name} with (force)`);
      await cleanup.close();
    },
  };
}

/**
 * The real product (production build, page cache) on a free port. `env` adds settings, e.g.
 * TRUST_PROXY=1 so that a load generator can speak for many visitors through X-Forwarded-For.
 */
export async function startBenchApp(database: Database, options: { env?: Record<string, string> } = {}) {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ NODE_ENV: "production", PUBLIC_URL: url, SESSION_SECRET: "bench-secret-bench-secret-bench-secret", SEED_DEMO: "0", ...options.env });
  const runtime = await boot(config, { database, workers: false });
  const handler = createRequestListener({ services: runtime.services, build: await loadProductionBuild() });
  await database.listen(PUBLIC_CV_CHANGED, (slug) => handler.cache.evict(slug));
  server.on("request", handler.listener);
  return {
    url,
    runtime,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.stop();
    },
  };
}

export type LoadResult = { requestsPerSecond: number; p99Ms: number; errors: number; non2xx: number };

/** autocannon in its own process, so the load generator does not share the server's event loop. */
export function load(url: string, options: { seconds: number; connections: number }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(root, "node_modules", ".bin", "autocannon"),
      ["--json", "-c", String(options.connections), "-d", String(options.seconds), url],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("exit", () => {
      try {
        const result = JSON.parse(out);
        resolve({ requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, errors: result.errors, non2xx: result.non2xx });
      } catch (error) {
        reject(error);
      }
    });
  });
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
