import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { runMigrations } from "../../app/db/migrate.server";
import { openServerDatabase } from "../../app/db/client.server";

const run = promisify(execFile);
const BIN = process.env.TEST_POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";
/** Ports a private server may take (kept apart from the shared server's and from other checkouts'). */
const PORTS = (process.env.TEST_PRIVATE_POSTGRES_PORTS ?? "55432-55439").split("-").map(Number) as [number, number];

async function portIsFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export type PrivatePostgres = Awaited<ReturnType<typeof startPrivatePostgres>>;

/**
 * A PostgreSQL 15 server of the test's own (initdb in a temporary directory, trust auth), for
 * tests that restart or stop the database: the shared server is never touched. PostgreSQL refuses
 * to run as root, so as root the files belong to, and the server runs as, the `postgres` user.
 */
export async function startPrivatePostgres() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkedout-pg-"));
  const data = path.join(dir, "data");
  const asUser: { uid?: number; gid?: number } = {};
  if (process.getuid?.() === 0) {
    const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
    const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
    fs.chownSync(dir, uid, gid);
    Object.assign(asUser, { uid, gid });
  }
  await run(path.join(BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asUser);
  const ctl = (...args: string[]) => run(path.join(BIN, "pg_ctl"), ["-D", data, "-l", path.join(dir, "log"), "-w", "-t", "60", ...args], asUser);
  const optionsFor = (port: number) => `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  // Another test may take the same free port at the same moment: then the next one is tried.
  let port = 0;
  for (let candidate = PORTS[0]; candidate <= PORTS[1] && !port; candidate++) {
    if (!(await portIsFree(candidate))) continue;
    try {
      await ctl("-o", optionsFor(candidate), "start");
      port = candidate;
    } catch {
      // taken meanwhile
    }
  }
  if (!port) throw new Error(`No free port in ${PORTS.join("-")} for a private PostgreSQL server`);
  const options = optionsFor(port);
  const url = `postgres://postgres@127.0.0.1:${port}/linkedout`;
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query("create database linkedout");
  await admin.end();
  const database = openServerDatabase(url, { max: 1 });
  await runMigrations(database);
  await database.close();
  return {
    url,
    port,
    /** `pg_ctl restart -m fast`: every connection is cut, the server is back once this resolves. */
    restart: () => ctl("-o", options, "-m", "fast", "restart"),
    stopServer: () => ctl("-m", "fast", "stop"),
    startServer: () => ctl("-o", options, "start"),
    async destroy() {
      await ctl("-m", "immediate", "stop").catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
