import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions } from "../../app/db/schema";
import { aCoach, aStaffMember, aZone } from "../../app/db/factories";
import { createHttpApp, loadProductionBuild } from "../../server/http";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";
import http from "node:http";
import type { AddressInfo } from "node:net";

describe("signing in and out", () => {
  let app: TestApp;
  let zoneId: string;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    zoneId = (await aZone(app.db)).id;
  });
  afterAll(() => app.close());

  it("opens a session in an HttpOnly, SameSite=Lax cookie and lands staff in the back-office", async () => {
    const staff = await aStaffMember(app.db, { zoneId });
    const client = new HttpClient(app.url);
    const response = await client.post("/connexion", { email: staff.email.toUpperCase(), password: staff.password! });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin");
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("lo_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect((await client.get("/admin/membres")).status).toBe(200);
  });

  it("sends people back to the page they asked for, never to another site", async () => {
    const coach = await aCoach(app.db, { zoneId });
    const client = new HttpClient(app.url);
    const asked = await client.get("/compte");
    expect(asked.headers.get("location")).toBe("/connexion?retour=%2Fcompte");
    const back = await client.post("/connexion?retour=%2Fcompte", { email: coach.email, password: coach.password! });
    expect(back.headers.get("location")).toBe("/compte");
    const other = new HttpClient(app.url);
    const evil = await other.post("/connexion?retour=%2F%2Fevil.example", { email: coach.email, password: coach.password! });
    expect(evil.headers.get("location")).toBe("/espace");
  });

  it("refuses a wrong password with a French message that does not say which part was wrong", async () => {
    const coach = await aCoach(app.db, { zoneId });
    const client = new HttpClient(app.url);
    for (const [email, password] of [
      [coach.email, "pas le bon mot de passe"],
      ["personne@exemple.test", "pas le bon mot de passe"],
      ["", ""],
      ["<script>alert(1)</script>", "x".repeat(5000)],
    ]) {
      const response = await client.post("/connexion", { email: email!, password: password! });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain("Adresse e-mail ou mot de passe incorrect.");
      expect(html).not.toContain("<script>alert(1)</script>");
      expect(response.headers.getSetCookie().some((c) => c.startsWith("lo_session="))).toBe(false);
    }
  });

  it("refuses a form posted without the CSRF token or from another site", async () => {
    const coach = await aCoach(app.db, { zoneId });
    const client = new HttpClient(app.url);
    const noToken = await client.post("/connexion", { email: coach.email, password: coach.password! }, { csrf: false });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain("Le formulaire a expiré");
    const crossSite = await fetch(`${app.url}/connexion`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example", Cookie: `lo_csrf=${await client.csrf()}` },
      body: new URLSearchParams({ email: coach.email, password: coach.password!, csrf: await client.csrf() }),
    });
    expect(crossSite.status).toBe(403);
  });

  it("signing out revokes the session in the database, not only the cookie", async () => {
    const coach = await aCoach(app.db, { zoneId });
    const client = new HttpClient(app.url);
    await client.signIn(coach.email, coach.password!);
    const stolen = new HttpClient(app.url);
    stolen.cookies.set("lo_session", client.cookies.get("lo_session")!);
    expect((await stolen.get("/espace")).status).toBe(200);
    const out = await client.post("/deconnexion", {});
    expect(out.headers.get("location")).toBe("/connexion?ok=deconnecte");
    expect((await stolen.get("/espace")).status).toBe(302);
  });

  it("'sign out of all devices' closes every session of that person only", async () => {
    const coach = await aCoach(app.db, { zoneId });
    const someoneElse = await aCoach(app.db, { zoneId });
    const phone = new HttpClient(app.url);
    const laptop = new HttpClient(app.url);
    const other = new HttpClient(app.url);
    await phone.signIn(coach.email, coach.password!);
    await laptop.signIn(coach.email, coach.password!);
    await other.signIn(someoneElse.email, someoneElse.password!);
    const response = await phone.post("/compte", { intent: "sign-out-everywhere" });
    expect(response.headers.get("location")).toBe("/connexion?ok=partout");
    expect((await laptop.get("/espace")).status).toBe(302);
    expect((await phone.get("/espace")).status).toBe(302);
    expect((await other.get("/espace")).status).toBe(200);
    const open = await app.db.select().from(sessions).where(eq(sessions.userId, coach.id));
    expect(open.every((s) => s.revokedAt !== null)).toBe(true);
  });

  it("limits attempts per address, counted in the database so every web process shares the count", async () => {
    const coach = await aCoach(app.db, { zoneId });
    // A second web process: its own HTTP server and memory, the same database.
    const second = http.createServer(createHttpApp({ services: { ...app.services }, build: await loadProductionBuild() }));
    await new Promise<void>((resolve) => second.listen(0, "127.0.0.1", resolve));
    const secondUrl = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
    try {
      for (let i = 0; i < 5; i++) {
        const client = new HttpClient(i % 2 ? secondUrl : app.url);
        expect((await client.post("/connexion", { email: coach.email, password: "mauvais mot de passe" })).status).toBe(400);
      }
      const blocked = await new HttpClient(secondUrl).post("/connexion", { email: coach.email, password: coach.password! });
      expect(blocked.status).toBe(429);
      expect(await blocked.text()).toContain("Trop de tentatives");
      // Another address is not affected.
      const colleague = await aCoach(app.db, { zoneId });
      expect((await new HttpClient(app.url).post("/connexion", { email: colleague.email, password: colleague.password! })).status).toBe(302);
    } finally {
      second.closeAllConnections();
      await new Promise((resolve) => second.close(resolve));
    }
  });

  it("limits attempts per IP address across many accounts", async () => {
    const client = new HttpClient(app.url, { "X-Test": "ip" });
    let status = 0;
    for (let i = 0; i < 32 && status !== 429; i++) {
      status = (await client.post("/connexion", { email: `inconnu${i}@exemple.test`, password: "mauvais mot de passe" })).status;
    }
    expect(status).toBe(429);
  });
});

describe("behind https", () => {
  it("marks the session cookie Secure when the public address is https", async () => {
    const app = await startTestApp({ smtp: false, env: { PUBLIC_URL: "https://linkedout.example" } });
    try {
      const coach = await aCoach(app.db);
      const response = await new HttpClient(app.url).post("/connexion", { email: coach.email, password: coach.password! });
      expect(response.headers.getSetCookie().find((c) => c.startsWith("lo_session="))).toMatch(/Secure/);
    } finally {
      await app.close();
    }
  });
});
