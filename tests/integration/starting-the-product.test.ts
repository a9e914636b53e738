import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyServerDatabase, engine } from "../support/databases";
import { HttpClient } from "../support/http-client";
import { freePort, runScript, stop, type Running } from "../support/processes";

/**
 * `npm start` and the command-line tools as real processes: on PGlite (a fresh data directory)
 * or on the PostgreSQL server (a fresh empty database), depending on the engine under test.
 */
// Real processes open real databases: generous time, since a loaded 2-core machine is slow to start them.
describe(`starting the product (${engine()})`, { timeout: 120_000 }, () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let first: Running;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    if (engine() === "pglite") {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkedout-start-"));
      env = { DATA_DIR: dir, PORT: String(port), PUBLIC_URL: url };
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const database = await createEmptyServerDatabase();
      env = { DATABASE_URL: database.url, SESSION_SECRET: "a-secret-of-at-least-32-characters!!", PORT: String(port), PUBLIC_URL: url };
      cleanup = database.drop;
    }
    first = runScript("server/main.ts", env);
    await first.waitForOutput(/LinkedOut est prêt/);
  });
  afterAll(async () => {
    if (first.child.exitCode === null) await stop(first);
    await cleanup();
  });

  it("serves the home page, the sign-in page and /healthz", async () => {
    expect(first.output()).toContain(url);
    for (const page of ["/", "/connexion"]) expect((await fetch(`${url}${page}`)).status, page).toBe(200);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
  });

  it("seeds the demo accounts only in embedded mode, and prints them", async () => {
    const client = new HttpClient(url);
    const response = await client.post("/connexion", { email: "staff@demo.linkedout.fr", password: "demo-linkedout" });
    if (engine() === "pglite") {
      expect(response.status).toBe(302);
      expect(first.output()).toContain("candidat@demo.linkedout.fr");
      expect(first.output()).toContain("demo-linkedout");
    } else {
      expect(response.status).toBe(400);
      expect(first.output()).not.toContain("demo-linkedout");
    }
  });

  it("keeps one process per embedded data directory; several may share a server", async () => {
    const second = runScript("server/main.ts", { ...env, PORT: String(await freePort()) });
    if (engine() === "pglite") {
      const { code } = await second.exit;
      expect(code).toBe(1);
      expect(second.output().trim().split("\n")).toHaveLength(1);
      expect(second.output()).toContain("est déjà utilisé par le processus");
    } else {
      await second.waitForOutput(/LinkedOut est prêt/);
      expect((await stop(second)).code).toBe(0);
    }
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it("creates a first staff account from the command line, with a link to choose the password", async () => {
    if (engine() === "pglite") await stop(first); // the CLI needs the data directory to itself
    const cli = runScript("server/cli/admin-create.ts", env, ["--email", "Premiere.Admin@exemple.test", "--name", "Louise Martin", "--zone", "Bordeaux"]);
    expect((await cli.exit).code).toBe(0);
    const link = cli.output().match(/https?:\/\/\S+\/mot-de-passe\/\S+/)?.[0];
    expect(link).toBeDefined();
    const again = runScript("server/cli/admin-create.ts", env, ["--email", "premiere.admin@exemple.test", "--name", "Louise Martin"]);
    expect((await again.exit).code).toBe(1);
    expect(again.output()).toContain("existe déjà");
    const missing = runScript("server/cli/admin-create.ts", env, ["--name", "Sans Adresse"]);
    expect((await missing.exit).code).toBe(1);
    expect(missing.output()).toContain("--email");
    expect(cli.output()).toContain("(zone Bordeaux)");
    // Without --zone the account is national: it sees every zone (decision 020).
    const national = runScript("server/cli/admin-create.ts", env, ["--email", "nationale@exemple.test", "--name", "Nora Nationale"]);
    expect((await national.exit).code).toBe(0);
    expect(national.output()).toContain("national : toutes les zones");
    if (engine() === "pglite") {
      first = runScript("server/main.ts", env);
      await first.waitForOutput(/LinkedOut est prêt/);
    }
    const client = new HttpClient(url);
    const path = new URL(link!).pathname;
    expect((await client.post(path, { password: "une phrase pour louise", confirm: "une phrase pour louise" })).status).toBe(302);
    expect((await client.post("/connexion", { email: "premiere.admin@exemple.test", password: "une phrase pour louise" })).headers.get("location")).toBe("/admin");
  });

  it("stops promptly and cleanly on SIGTERM, and starts again on the same data", async () => {
    const { code, ms } = await stop(first);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    if (engine() === "pglite") expect(fs.existsSync(path.join(env.DATA_DIR!, "linkedout.lock"))).toBe(false);
    const migrate = runScript("server/cli/migrate.ts", env);
    expect((await migrate.exit).code).toBe(0);
    expect(migrate.output()).toContain("Migrations appliquées.");
    first = runScript("server/main.ts", env);
    await first.waitForOutput(/LinkedOut est prêt/);
    const client = new HttpClient(url);
    await client.signIn("premiere.admin@exemple.test", "une phrase pour louise");
  });

  it("runs the job workers in a separate process on a server, and refuses to in embedded mode", async () => {
    const worker = runScript("server/worker.ts", env);
    if (engine() === "pglite") {
      expect((await worker.exit).code).toBe(1);
      expect(worker.output()).toContain("DATABASE_URL");
      return;
    }
    await worker.waitForOutput(/worker LinkedOut écoute/);
    // The web process queues an e-mail; with no SMTP, the separate worker keeps it in the outbox.
    await new HttpClient(url).post("/mot-de-passe-oublie", { email: "premiere.admin@exemple.test" });
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    try {
      await expect
        .poll(async () => (await db.query("select status from outbox where template = 'password_reset'")).rows[0]?.status, { timeout: 20_000 })
        .toBe("kept");
    } finally {
      await db.end();
    }
    expect((await stop(worker)).code).toBe(0);
  });
});

describe("a wrong setting", { timeout: 60_000 }, () => {
  it("stops the process with one line naming the variable", async () => {
    for (const [name, value] of [
      ["PORT", "quatre-vingt"],
      ["DATABASE_URL", "mysql://localhost/x"],
    ]) {
      const run = runScript("server/main.ts", { [name!]: value! });
      expect((await run.exit).code).toBe(1);
      expect(run.output().trim().split("\n")).toHaveLength(1);
      expect(run.output()).toContain(name);
    }
  });
});
