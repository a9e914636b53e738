import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyServerDatabase, engine } from "../support/databases";
import { HttpClient } from "../support/http-client";
import { freePort, runScript, stop, type Running } from "../support/processes";

/**
 * What `npm start` writes to its log in production, read as the host's log collector would:
 * one JSON object per line, a request id on every request line, and none of the secrets or
 * personal data that requests carry (one-click tokens, share-link keys, e-mails, cookies).
 */
describe(`the production log (${engine()})`, { timeout: 120_000 }, () => {
  let running: Running;
  let url: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    let env: Record<string, string>;
    if (engine() === "pglite") {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkedout-logs-"));
      env = { DATA_DIR: dir, PORT: String(port), PUBLIC_URL: url, SEED_DEMO: "1" };
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const database = await createEmptyServerDatabase();
      env = { DATABASE_URL: database.url, SESSION_SECRET: "a-secret-of-at-least-32-characters!!", PORT: String(port), PUBLIC_URL: url, SEED_DEMO: "1" };
      cleanup = database.drop;
    }
    running = runScript("server/main.ts", env);
    await running.waitForOutput(/LinkedOut est prêt/);
  });
  afterAll(async () => {
    if (running.child.exitCode === null) await stop(running);
    await cleanup();
  });

  it("is JSON lines with a request id, and holds no token, key, e-mail or cookie", async () => {
    const secrets = {
      offerToken: "OfferTokenQ7w9e8r7t6y5u4",
      checkInToken: "CheckInTokenZ1x2c3v4b5n6",
      passwordToken: "PasswordTokenA1s2d3f4g5h6",
      shareKey: "ShareKeyM1n2b3v4c5x6z7",
      confirmToken: "ConfirmTokenP0o9i8u7y6t5",
      queryToken: "QueryTokenL1k2j3h4g5f6",
      cookie: "CookieSecretW3e4r5t6y7u8",
      email: "personne.secrete@exemple.test",
      password: "MotDePasseSecretR4t5",
    };
    const client = new HttpClient(url);
    const headers = { Cookie: `lo_session=${secrets.cookie}; autre=${secrets.cookie}` };

    const traced = await client.get(`/suivi-offre/${secrets.offerToken}`, { ...headers, "X-Request-Id": "lb-trace-0001" });
    expect(traced.headers.get("x-request-id")).toBe("lb-trace-0001");
    const forged = await client.get(`/suivi-embauche/${secrets.checkInToken}`, { ...headers, "X-Request-Id": "<script>alert(1)</script>" });
    expect(forged.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await client.get(`/mot-de-passe/${secrets.passwordToken}`, headers);
    await client.get(`/partage/${secrets.shareKey}/confirmer/${secrets.confirmToken}.data`, headers);
    await client.get(`/partage/${secrets.shareKey}?cle=${secrets.queryToken}`, headers);
    await client.get(`/connexion?token=${secrets.queryToken}`, headers);
    const signIn = await client.post("/connexion", { email: secrets.email, password: secrets.password });
    expect(signIn.status).toBe(400);
    const requestId = signIn.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    // The line of an answer is written when it is done: wait for the last one.
    await running.waitForOutput(new RegExp(`"requestId":"${requestId}"`), 10_000);
    const lines = running.output().split("\n").filter(Boolean);
    const entries = lines.map((line) => {
      expect(() => JSON.parse(line), line).not.toThrow();
      return JSON.parse(line) as Record<string, unknown>;
    });
    const requests = entries.filter((entry) => entry.msg === "request");
    expect(requests.length).toBeGreaterThanOrEqual(7);
    for (const entry of requests) {
      expect(entry).toMatchObject({ level: 30, requestId: expect.stringMatching(/^\S{8,64}$/), method: expect.any(String), status: expect.any(Number) });
    }
    expect(requests.map((entry) => entry.url)).toEqual(
      expect.arrayContaining([
        "/suivi-offre/:token",
        "/suivi-embauche/:token",
        "/mot-de-passe/:token",
        "/partage/:key/confirmer/:token.data",
        "/partage/:key?cle=[redacted]",
        "/connexion?token=[redacted]",
      ]),
    );
    expect(requests.find((entry) => entry.url === "/suivi-offre/:token")?.requestId).toBe("lb-trace-0001");
    const log = running.output();
    for (const [name, value] of Object.entries(secrets)) expect(log, name).not.toContain(value);
  });

  // The demo's published CVs (seeded on both engines here) give the cache something to serve.
  it("gives pages from the public page cache a request id, but no log line at the default level", async () => {
    const gallery = await (await fetch(`${url}/candidats`)).text();
    const slug = gallery.match(/href="\/cv\/([a-z0-9-]+)"/)?.[1];
    expect(slug).toBeDefined();
    // The first visit renders and fills the cache beside it; the next ones come from memory.
    let cached: Response | undefined;
    for (let attempt = 0; attempt < 50 && !cached; attempt++) {
      const response = await fetch(`${url}/cv/${slug}`, { headers: { "X-Request-Id": `cached-page-${attempt}xx` } });
      await response.arrayBuffer();
      if (response.headers.get("content-security-policy")?.includes("'sha256-")) cached = response;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(cached?.headers.get("x-request-id")).toMatch(/^cached-page-\d+xx$/);
    const marker = await fetch(`${url}/healthz`, { headers: { "X-Request-Id": "after-the-cache-1" } });
    await marker.arrayBuffer();
    await running.waitForOutput(/"requestId":"after-the-cache-1"/, 10_000);
    expect(running.output()).not.toContain(`"requestId":"${cached!.headers.get("x-request-id")}"`);
  });
});
