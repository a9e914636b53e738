import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aStaffMember } from "../../app/db/factories";
import { cohorts, sessions, users } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * Control characters (NUL first: PostgreSQL cannot store it) and broken escapes are refused at
 * the door — the path and query string before any route, every posted text in readForm — with
 * a French message and nothing changed; `retour` only ever leads to a path of this site; names
 * typed by staff hold on one line.
 */
describe("hostile characters are refused in one place", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  it("answers a path or query string holding a control character or a broken escape with a French 400, on every kind of route", async () => {
    const addresses = [
      "/candidats?q=%00",
      "/cv/%00",
      "/cv/%00/vu.gif",
      "/partager/%00/linkedin",
      "/cv/x/vu.gif?via=%00",
      "/promo/%01",
      "/admin/membres?q=a%0Db",
      "/langue?retour=%2F%09%2Fevil.example%2F&locale=en",
      "/langue?retour=%2F%0A&locale=en",
      "/cv/%FF",
      "/cv/%ED%A0%80",
      "/cv/%C0%AF",
      "/mot-de-passe/%E9",
      "/%00",
      "/healthz?x=%7F",
    ];
    for (const address of addresses) {
      const response = await fetch(`${app.url}${address}`, { redirect: "manual" });
      expect(response.status, address).toBe(400);
      const page = await response.text();
      expect(page, address).toContain("Adresse invalide");
      expect(page, address).toContain('<a href="/">');
    }
    // In the visitor's language, as a short page with a way home.
    const english = await fetch(`${app.url}/candidats?q=%00`, { headers: { Cookie: `lo_lang=${Buffer.from(JSON.stringify("en")).toString("base64")}` } });
    expect(english.status).toBe(400);
    expect(await english.text()).toContain("Invalid address");
    // What people type still works: a broken escape in a search is read as typed, accents too.
    expect((await fetch(`${app.url}/candidats?q=100%25%20s%C3%BBr`)).status).toBe(200);
    expect((await fetch(`${app.url}/candidats?q=100%`)).status).toBe(200);
  });

  it("leads `retour` only to a path of this site, and a bad one after sign-in leaves no session behind", async () => {
    const offSite = ["//evil.example/", "/\\evil.example", "https://evil.example/", "/%09/evil.example", "/\t/evil.example", "/%0A", "/é", "/a b", "javascript:alert(1)", "/%E9"];
    for (const retour of offSite) {
      const response = await fetch(`${app.url}/langue?locale=en&retour=${encodeURIComponent(retour)}`, { redirect: "manual" });
      expect([302, 400], retour).toContain(response.status);
      if (response.status === 302) expect(response.headers.get("location"), retour).toBe("/");
    }
    const here = await fetch(`${app.url}/langue?locale=en&retour=${encodeURIComponent("/candidats?q=caf%C3%A9#top")}`, { redirect: "manual" });
    expect(here.headers.get("location")).toBe("/candidats?q=caf%C3%A9#top");

    const staff = await aStaffMember(app.db);
    const before = (await app.db.select({ n: count() }).from(sessions).where(eq(sessions.userId, staff.id)))[0]!.n;
    for (const retour of ["/%0A", "//evil.example", "/\\evil.example", "/%09/evil.example"]) {
      const client = new HttpClient(app.url);
      const response = await client.post(`/connexion?retour=${encodeURIComponent(retour)}`, { email: staff.email, password: staff.password! });
      expect(response.status, retour).toBe(302);
      expect(response.headers.get("location"), retour).toBe("/admin");
    }
    // A retour with a control character in the address itself is refused before the action runs: no session.
    const refused = new HttpClient(app.url);
    expect((await refused.post("/connexion?retour=%2F%0A", { email: staff.email, password: staff.password! })).status).toBe(400);
    const after = (await app.db.select({ n: count() }).from(sessions).where(eq(sessions.userId, staff.id)))[0]!.n;
    expect(after - before).toBe(4);
  });

  it("refuses a control character in any posted text with a French message, gives the text back without it, and changes nothing", async () => {
    const staff = await aStaffMember(app.db);
    const client = new HttpClient(app.url);
    await client.signIn(staff.email, staff.password!);
    const people = async () => (await app.db.select({ n: count() }).from(users))[0]!.n;
    const before = await people();
    const response = await client.post("/admin/membres/nouveau", { role: "coach", firstName: "Ju\u0000lie", lastName: "Moreau", email: `julie.${Date.now()}@exemple.test`, zoneId: staff.zoneId! });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Un caractère invisible (caractère de contrôle) a été retiré de ce champ");
    expect(html).toContain('value="Julie"');
    expect(await people()).toBe(before);
  });

  it("refuses line breaks, tabs and control characters in names staff type, in French", async () => {
    const staff = await aStaffMember(app.db);
    const client = new HttpClient(app.url);
    await client.signIn(staff.email, staff.password!);
    const people = async () => (await app.db.select({ n: count() }).from(users))[0]!.n;
    const before = await people();
    for (const [field, value] of [
      ["firstName", "Julie\r\nBcc: x@evil.example"],
      ["lastName", "Mo\treau"],
      ["firstName", "Julie\n"],
      ["lastName", "Mo\u0085reau"],
    ] as const) {
      const form = { role: "coach", firstName: "Julie", lastName: "Moreau", email: `julie.${Date.now()}@exemple.test`, zoneId: staff.zoneId!, [field]: value };
      const response = await client.post("/admin/membres/nouveau", form);
      expect(response.status, JSON.stringify(value)).toBe(400);
      expect(await response.text()).toMatch(/Un nom tient sur une ligne|caractère de contrôle/);
    }
    expect(await people()).toBe(before);

    const cohortsBefore = (await app.db.select({ n: count() }).from(cohorts))[0]!.n;
    for (const name of ["Promo\r\nLyon", "Promo\tLyon"]) {
      const response = await client.post("/admin/promos", { name, description: "" });
      expect(response.status, JSON.stringify(name)).toBe(400);
      expect(await response.text()).toContain("Un nom tient sur une ligne");
    }
    expect((await app.db.select({ n: count() }).from(cohorts))[0]!.n).toBe(cohortsBefore);
  });
});
