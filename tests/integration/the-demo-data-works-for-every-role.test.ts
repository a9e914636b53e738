import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicCvs, users, zones } from "../../app/db/schema";
import { DEMO_PASSWORD, seedDemoIfEmpty } from "../../app/db/seed.server";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/** The demo a newcomer opens: people they can tell apart, and a staff account that reaches them all. */
describe("the demo data", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    expect(await seedDemoIfEmpty(app.db)).toBe(true);
  });
  afterAll(() => app.close());

  it("gives every person a name of their own", async () => {
    const homonyms = await app.db
      .select({ name: sql<string>`${users.firstName} || ' ' || ${users.lastName}`, people: count() })
      .from(users)
      .groupBy(users.firstName, users.lastName)
      .having(sql`count(*) > 1`);
    expect(homonyms).toEqual([]);
    const [coaches] = await app.db.select({ value: count() }).from(users).where(eq(users.role, "coach"));
    expect(coaches!.value).toBeGreaterThanOrEqual(4);
  });

  it("signs the demo staff account in to every city's candidates, and a city's staff to theirs only", async () => {
    const candidates = await app.db
      .select({ id: users.id, email: users.email, zone: zones.name })
      .from(users)
      .innerJoin(zones, eq(zones.id, users.zoneId))
      .where(eq(users.role, "candidate"));
    expect(new Set(candidates.map((c) => c.zone))).toEqual(new Set(["Paris", "Lyon", "Lille"]));
    const national = new HttpClient(app.url);
    await national.signIn("staff@demo.linkedout.fr", DEMO_PASSWORD);
    for (const candidate of candidates) expect((await national.get(`/espace/cv/${candidate.id}`)).status, candidate.email).toBe(200);
    const lyon = new HttpClient(app.url);
    await lyon.signIn("karim.haddad@demo.linkedout.fr", DEMO_PASSWORD);
    for (const candidate of candidates) {
      expect((await lyon.get(`/espace/cv/${candidate.id}`)).status, candidate.email).toBe(candidate.zone === "Lyon" ? 200 : 404);
    }
  });

  it("writes its figures with the plural the number asks for (« 1 partage lancé », not « 1 partages lancés »)", async () => {
    const [first] = await app.db.select({ slug: publicCvs.slug }).from(publicCvs).limit(1);
    // One visitor shares one CV and views it: the real ingestion, as a browser does it.
    const browser = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36" };
    await fetch(`${app.url}/partager/${first!.slug}/linkedin?direct=1`, { headers: browser, redirect: "manual" });
    await fetch(`${app.url}/cv/${first!.slug}/vu.gif`, { headers: browser });
    const home = (await (await fetch(`${app.url}/`)).text()).replace(/<!-- -->/g, "");
    expect(home).toMatch(/<strong>1<\/strong> ?partage lancé</);
    expect(home).toMatch(/<strong>1<\/strong> ?vue de CV</);
    expect(home).toMatch(/<strong>3<\/strong> ?CV publiés</);
    const english = (await (await fetch(`${app.url}/`, { headers: { Cookie: `lo_lang=${Buffer.from(JSON.stringify("en")).toString("base64")}` } })).text()).replace(/<!-- -->/g, "");
    expect(english).toMatch(/<strong>1<\/strong> ?share started</);
  });
});
