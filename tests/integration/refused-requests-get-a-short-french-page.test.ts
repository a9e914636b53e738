import http from "node:http";
import net from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCoach } from "../../app/db/factories";
import { offers, sessions } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

type Answer = { status: number; type: string | undefined; body: string };

/** A request as a hostile or broken client sends it; the body may be streamed in chunks of 64 kB. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; chunks?: number }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? "GET", headers: options.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (chunk: Buffer) => parts.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, type: res.headers["content-type"], body: Buffer.concat(parts).toString() }));
    });
    req.on("error", reject);
    if (!options.chunks) return void req.end(options.body);
    const piece = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const write = () => {
      while (sent < options.chunks!) {
        sent++;
        if (!req.write(piece)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

/** Raw bytes on a socket, for what no HTTP client would send. */
function sendRaw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    const parts: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => parts.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(parts).toString()));
    socket.on("error", reject);
  });
}

const expectShortFrenchPage = (answer: { type: string | undefined; body: string }, heading: string) => {
  expect(answer.type).toBe("text/html; charset=utf-8");
  expect(answer.body).toContain('<html lang="fr">');
  expect(answer.body).toContain(`<h1>${heading}</h1>`);
  expect(answer.body).toContain('<a href="/">Retour à l&#39;accueil</a>');
};

/** What a refused request gets: a short page saying what happened, in French — never a blank page. */
describe("requests refused before any page get a short French page", () => {
  let app: TestApp;
  let client: HttpClient;
  let cookie: string;
  let csrf: string;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    client = new HttpClient(app.url);
    csrf = await client.csrf();
    cookie = `lo_csrf=${csrf}`;
  });
  afterAll(() => app.close());

  it("refuses a form posted with `Origin: null` or from another site, and changes nothing", async () => {
    const coach = await aCoach(app.db);
    for (const origin of ["null", "https://ailleurs.example"]) {
      for (const path of ["/connexion", "/offres/nouvelle", "/mot-de-passe-oublie", "/deconnexion", "/langue?locale=en"]) {
        const answer = await send(`${app.url}${path}`, {
          method: "POST",
          headers: { Origin: origin, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ csrf, email: coach.email, password: coach.password! }).toString(),
        });
        expect(answer.status, `${origin} ${path}`).toBe(403);
        expectShortFrenchPage(answer, "Formulaire refusé");
        expect(answer.body).toContain("Rechargez la page et recommencez.");
      }
    }
    expect(await app.db.select().from(sessions).where(eq(sessions.userId, coach.id))).toHaveLength(0);
    // In English for a visitor who chose English.
    const english = `lo_lang=${encodeURIComponent(Buffer.from(JSON.stringify("en")).toString("base64"))}`;
    const answer = await send(`${app.url}/connexion`, { method: "POST", headers: { Origin: "null", Cookie: `${cookie}; ${english}` }, body: `csrf=${csrf}` });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("<h1>Form refused</h1>");
  });

  it("answers headers over the limit with a 431 page, and a request it cannot read with a 400 page", async () => {
    const big = await send(`${app.url}/`, { headers: { Cookie: `trop=${"a".repeat(20_000)}` } });
    expect(big.status).toBe(431);
    expectShortFrenchPage(big, "Demande trop longue");
    const garbled = await sendRaw(app.url, "GET / HTTP/1.1\r\nHost: x\r\nCeci n'est pas un en-tête\r\n\r\n");
    expect(garbled).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(garbled).toContain("Content-Type: text/html; charset=utf-8");
    expect(garbled).toContain("<h1>Demande illisible</h1>");
    // The process still serves.
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it("answers a streamed body over the limit (no declared length) with the form's French message, not a cut connection", async () => {
    const before = (await app.db.select({ n: sql<number>`count(*)::int` }).from(offers))[0]!.n;
    for (const path of ["/offres/nouvelle", "/connexion"]) {
      const answer = await send(`${app.url}${path}`, {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" },
        chunks: 40, // 2.5 MB, past the 1 MB of a form
      });
      expect(answer.status, path).toBe(413);
      expect(answer.body).toContain("Ce que vous avez envoyé est trop lourd.");
    }
    expect((await app.db.select({ n: sql<number>`count(*)::int` }).from(offers))[0]!.n).toBe(before);
  });
});
