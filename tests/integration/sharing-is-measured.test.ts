import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv, aStaffMember } from "../../app/db/factories";
import { declaredFigures, publicCvs, shareEvents, viewEvents } from "../../app/db/schema";
import { eventKey, recordEvents } from "../../app/domain/sharing/events";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

const BROWSER = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";
const visitor = (n: number) => ({ "User-Agent": `${BROWSER} visitor-${n}` });

/** Sharing and views are measured server-side, de-duplicated, without bots or the CV's own people. */
describe("sharing is measured honestly", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  const counts = async (cvId: string) => {
    const [row] = await app.db.select({ views: publicCvs.views, shares: publicCvs.shares }).from(publicCvs).where(eq(publicCvs.cvId, cvId));
    return row!;
  };

  it("sends each share button to the network with the CV's address and text, counting once a day per visitor", async () => {
    const { cv } = await aPublishedCv(app.db, { candidate: { firstName: "Rachida" } });
    const url = encodeURIComponent(`${app.url}/cv/${cv.slug}`);
    const expected: Record<string, string> = {
      linkedin: `https://www.linkedin.com/sharing/share-offsite/?url=${url}`,
      facebook: `https://www.facebook.com/sharer/sharer.php?u=${url}`,
      x: `https://twitter.com/intent/tweet?text=`,
      whatsapp: `https://wa.me/?text=`,
      email: `mailto:?subject=`,
    };
    for (const [network, start] of Object.entries(expected)) {
      const response = await fetch(`${app.url}/partager/${cv.slug}/${network}?direct=1`, { redirect: "manual", headers: visitor(1) });
      expect(response.status, network).toBe(302);
      const location = response.headers.get("location")!;
      expect(location.startsWith(start), `${network}: ${location}`).toBe(true);
      if (network !== "linkedin" && network !== "facebook") {
        const decoded = decodeURIComponent(location);
        expect(decoded).toContain("Aidez Rachida à retrouver un emploi");
        expect(decoded).toContain(`${app.url}/cv/${cv.slug}`);
      }
    }
    expect((await counts(cv.id)).shares).toBe(5);
    // The same person clicking again the same day does not move the counter; someone else does.
    await fetch(`${app.url}/partager/${cv.slug}/linkedin?direct=1`, { redirect: "manual", headers: visitor(1) });
    expect((await counts(cv.id)).shares).toBe(5);
    await fetch(`${app.url}/partager/${cv.slug}/linkedin?direct=1`, { redirect: "manual", headers: visitor(2) });
    expect((await counts(cv.id)).shares).toBe(6);
    // Copy-link (JavaScript) reports with a small POST.
    expect((await fetch(`${app.url}/partager/${cv.slug}/copy`, { method: "POST", headers: visitor(3) })).status).toBe(204);
    const rows = await app.db.select({ network: shareEvents.network }).from(shareEvents).where(eq(shareEvents.cvId, cv.id));
    expect(rows.filter((r) => r.network === "copy")).toHaveLength(1);
  });

  it("without JavaScript, thanks in a small page that leads on to the network and offers another CV, counting once", async () => {
    const { cv } = await aPublishedCv(app.db, { candidate: { firstName: "Yasmine" } });
    const response = await fetch(`${app.url}/partager/${cv.slug}/whatsapp`, { redirect: "manual", headers: visitor(11) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const html = await response.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain("Merci !");
    expect(html).toContain("Votre partage ouvre un réseau à Yasmine.");
    expect(html).toContain(">Continuer vers WhatsApp</a>");
    // The big link leads to the network's share address, with the CV's address and the text.
    const target = /<a class="continue" href="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&").replaceAll("&#39;", "'");
    expect(target.startsWith("https://wa.me/?text=")).toBe(true);
    expect(decodeURIComponent(target)).toContain(`Aidez Yasmine à retrouver un emploi : partagez son CV ${app.url}/cv/${cv.slug}`);
    expect(html).toMatch(/Partagez aussi le CV de [^<]+<\/a>/);
    expect((await counts(cv.id)).shares).toBe(1);
    // Reloading the thank-you page is the same visitor: counted once.
    await fetch(`${app.url}/partager/${cv.slug}/whatsapp`, { headers: visitor(11) });
    expect((await counts(cv.id)).shares).toBe(1);
    // In English with the language cookie.
    const switched = await fetch(`${app.url}/langue?locale=en`, { redirect: "manual" });
    const langCookie = switched.headers.getSetCookie().find((c) => c.startsWith("lo_lang="))!.split(";")[0]!;
    const english = await (await fetch(`${app.url}/partager/${cv.slug}/linkedin`, { headers: { ...visitor(12), Cookie: langCookie } })).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain("Thank you!");
    expect(english).toContain("Your share opens a network to Yasmine.");
    expect(english).toContain(">Continue to LinkedIn</a>");
    expect((await counts(cv.id)).shares).toBe(2);
  });

  it("writes a batch holding the same visitor twice as one event, and bumps each counter by its new rows", async () => {
    const { cv } = await aPublishedCv(app.db);
    const { cv: second } = await aPublishedCv(app.db);
    const row = { cvId: cv.id, day: "2026-01-05", visitorHash: "same-visitor", prefixHash: "one-block", shareLinkId: null };
    const other = { ...row, cvId: second.id, visitorHash: "someone-else", prefixHash: "another-block" };
    // The group commit never sends the same key twice, but the statement must hold if it did.
    expect((await recordEvents(app.db, { views: [row, row, other] })).size).toBe(2);
    expect((await recordEvents(app.db, { views: [row, other] })).size).toBe(0);
    const both = await recordEvents(app.db, {
      views: [row],
      shares: [
        { ...row, network: "x" },
        { ...row, network: "x" },
        { ...row, network: "email" },
      ],
    });
    expect(both).toEqual(new Set([eventKey({ ...row, network: "x" }), eventKey({ ...row, network: "email" })]));
    expect(await counts(cv.id)).toEqual({ views: 1, shares: 2 });
    expect(await counts(second.id)).toEqual({ views: 1, shares: 0 });
  });

  it("refuses unknown CVs and networks without recording anything", async () => {
    const { cv } = await aPublishedCv(app.db);
    const before = (await app.db.select({ n: sql<number>`count(*)::int` }).from(shareEvents))[0]!.n;
    for (const path of [`/partager/${cv.slug}/myspace`, "/partager/inconnu-000/linkedin", `/partager/${cv.slug}/__proto__`]) {
      expect((await fetch(`${app.url}${path}`, { redirect: "manual", headers: visitor(9) })).status, path).toBe(404);
    }
    expect((await app.db.select({ n: sql<number>`count(*)::int` }).from(shareEvents))[0]!.n).toBe(before);
  });

  it("counts a view once per visitor per day through the page's pixel, never for crawlers or the CV's own people", async () => {
    const { cv, candidate, coach, zoneId } = await aPublishedCv(app.db);
    const page = await (await fetch(`${app.url}/cv/${cv.slug}`, { headers: visitor(1) })).text();
    expect(page).toContain(`src="/cv/${cv.slug}/vu.gif"`);
    const beacon = (headers: Record<string, string>) => fetch(`${app.url}/cv/${cv.slug}/vu.gif`, { headers });
    const first = await beacon(visitor(1));
    expect(first.headers.get("content-type")).toBe("image/gif");
    expect((await counts(cv.id)).views).toBe(1);
    await beacon(visitor(1)); // a reload
    expect((await counts(cv.id)).views).toBe(1);
    for (const crawler of ["LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", "facebookexternalhit/1.1", "WhatsApp/2.23.20.0", "Slackbot-LinkExpanding 1.0", "Googlebot/2.1", ""]) {
      await beacon({ "User-Agent": crawler });
    }
    expect((await counts(cv.id)).views).toBe(1);
    const staff = await aStaffMember(app.db, { zoneId });
    for (const person of [candidate, coach, staff]) {
      const client = new HttpClient(app.url, visitor(50));
      await client.signIn(person.email, person.password!);
      await client.get(`/cv/${cv.slug}/vu.gif`);
    }
    expect((await counts(cv.id)).views).toBe(1);
    await beacon(visitor(2));
    expect((await counts(cv.id)).views).toBe(2);
    // No raw IP address is stored anywhere in the events.
    const stored = JSON.stringify(await app.db.select().from(viewEvents).where(eq(viewEvents.cvId, cv.id)));
    expect(stored).not.toContain("127.0.0.1");
    expect((await fetch(`${app.url}/cv/inconnu-000/vu.gif`)).status).toBe(200);
  });

  it("shows the pair and staff what sharing did, on the CV's page in their space", async () => {
    const { cv, coach } = await aPublishedCv(app.db);
    await fetch(`${app.url}/partager/${cv.slug}/whatsapp`, { redirect: "manual", headers: visitor(7) });
    await fetch(`${app.url}/cv/${cv.slug}/vu.gif`, { headers: visitor(7) });
    const client = new HttpClient(app.url);
    await client.signIn(coach.email, coach.password!);
    const html = await (await client.get(`/espace/cv/${cv.candidateId}`)).text();
    expect(html).toContain("1 vue de la page");
    expect(html).toContain("1 partage lancé");
    expect(html).toContain("WhatsApp : 1");
  });

  it("publishes measured totals in /impact.json; a declared figure is shown apart and never added", async () => {
    const before = await (await fetch(`${app.url}/impact.json`)).json();
    expect(before).toMatchObject({ views: expect.any(Number), shares: expect.any(Number), publishedCvs: expect.any(Number) });
    expect(Object.keys(before.sharesByNetwork).sort()).toEqual(["copy", "email", "facebook", "linkedin", "native", "whatsapp", "x"]);
    await app.db.insert(declaredFigures).values({ label: "Partages de la première promotion", value: 184_000, source: "estimation 2019" });
    const after = await (await fetch(`${app.url}/impact.json`)).json();
    expect(after.views).toBe(before.views);
    expect(after.shares).toBe(before.shares);
    expect(after.declared).toEqual([{ label: "Partages de la première promotion", value: 184000, source: "estimation 2019", kind: "declared" }]);
    const home = await (await fetch(`${app.url}/`)).text();
    expect(home).toContain("Chiffres déclarés (avant la plateforme, non mesurés)");
    expect(home).toContain("Partages de la première promotion : 184000");
    // The measured figure on the home page is the measured count, not the sum.
    expect(home).toMatch(new RegExp(`<strong>${after.shares}</strong>(<!-- -->)? ?(<!-- -->)?partages lancés`));
  });
});
