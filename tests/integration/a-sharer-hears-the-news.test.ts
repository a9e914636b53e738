import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { cohortMembers, cohorts, outbox, shareLinks } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { linkIn } from "../support/smtp";
import { startTestApp, type TestApp } from "../support/test-app";

const NEWS = /Bonne nouvelle/;

/**
 * A sharer who confirmed their address hears, once, that the candidate found a job; an address
 * never confirmed hears nothing; one click stops the news.
 */
describe("a sharer hears the news", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const newLink = async (path: string) => {
    const html = await (await fetch(`${app.url}${path}/mon-lien`, { method: "POST" })).text();
    return { code: /\/s\/([a-z2-9]{8})/.exec(html)![1]!, key: /\/partage\/([A-Za-z0-9_-]{43})/.exec(html)![1]! };
  };
  const askForNews = async (key: string, email: string, confirm: boolean, locale: "fr" | "en" = "fr") => {
    const sharer = new HttpClient(app.url);
    if (locale === "en") await sharer.get("/langue?locale=en&retour=/");
    expect((await sharer.post(`/partage/${key}`, { email })).status).toBe(302);
    const confirmation = await app.smtp.waitFor(email, { subject: locale === "en" ? /Confirm/ : /Confirmez/ });
    if (confirm) expect((await sharer.post(new URL(linkIn(confirmation, `/partage/${key}/confirmer/`)).pathname, {})).status).toBe(302);
    return sharer;
  };
  const newsTo = (email: string) => app.smtp.received.filter((mail) => mail.to.includes(email) && NEWS.test(mail.subject));
  const newsRows = (email: string) => app.db.select().from(outbox).where(and(eq(outbox.toAddress, email), eq(outbox.template, "share-link-news-employed")));
  const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;

  it("tells confirmed sharers of the CV and of its cohort, once, and nobody else", async () => {
    const karim = await aPublishedCv(app.db, { candidate: { firstName: "Karim" } });
    const someoneElse = await aPublishedCv(app.db, { candidate: { firstName: "Yanis" } });
    const [cohort] = await app.db.insert(cohorts).values({ slug: `promo-news-${unique()}`, name: "Promo Lille" }).returning();
    await app.db.insert(cohortMembers).values({ cohortId: cohort!.id, cvId: karim.cv.id });

    const onCv = await newLink(`/cv/${karim.cv.slug}`);
    const onCohort = await newLink(`/promo/${cohort!.slug}`);
    const unconfirmed = await newLink(`/cv/${karim.cv.slug}`);
    const onOtherCv = await newLink(`/cv/${someoneElse.cv.slug}`);
    const emails = { cv: `cv-${unique()}@exemple.test`, cohort: `cohort-${unique()}@exemple.test`, unconfirmed: `pending-${unique()}@exemple.test`, other: `other-${unique()}@exemple.test` };
    await askForNews(onCv.key, emails.cv, true);
    await askForNews(onCohort.key, emails.cohort, true);
    await askForNews(unconfirmed.key, emails.unconfirmed, false);
    await askForNews(onOtherCv.key, emails.other, true);

    // The coach records that Karim found a job, as they do in their space.
    const coach = new HttpClient(app.url);
    await coach.signIn(karim.coach.email, karim.coach.password!);
    expect((await coach.post(`/espace/cv/${karim.candidate.id}`, { intent: "employed", until: "" })).status).toBe(302);

    const mail = await app.smtp.waitFor(emails.cv, { subject: NEWS });
    expect(mail.subject).toBe("Bonne nouvelle : Karim a retrouvé un emploi");
    expect(mail.text).toContain("Bonne nouvelle : Karim a retrouvé un emploi. Merci pour votre partage.");
    expect(linkIn(mail, "/partage/")).toBe(`${app.url}/partage/${onCv.key}`);
    expect(mail.text).toContain(`${app.url}/partage/${onCv.key}/arreter`);
    expect(mail.html).toContain(`href="${app.url}/partage/${onCv.key}"`);
    const cohortMail = await app.smtp.waitFor(emails.cohort, { subject: NEWS });
    expect(linkIn(cohortMail, "/partage/")).toBe(`${app.url}/partage/${onCohort.key}`);
    expect(mail.text).not.toContain(karim.candidate.lastName);

    // Recorded twice (the coach saves again): nothing more is sent.
    expect((await coach.post(`/espace/cv/${karim.candidate.id}`, { intent: "employed", until: "2027-06-30" })).status).toBe(302);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(newsTo(emails.cv)).toHaveLength(1);
    expect(newsTo(emails.cohort)).toHaveLength(1);
    expect(await newsRows(emails.cv)).toHaveLength(1);
    // The unconfirmed address and the other CV's sharer got nothing but their confirmation.
    expect(newsTo(emails.unconfirmed)).toHaveLength(0);
    expect(await newsRows(emails.unconfirmed)).toHaveLength(0);
    expect(newsTo(emails.other)).toHaveLength(0);
  });

  it("stops the news in one click from the e-mail, and a new job is news again for the others", async () => {
    const cv = await aPublishedCv(app.db, { candidate: { firstName: "Sonia" } });
    const first = await newLink(`/cv/${cv.cv.slug}`);
    const second = await newLink(`/cv/${cv.cv.slug}`);
    const emails = { first: `stop-${unique()}@exemple.test`, second: `stay-${unique()}@exemple.test` };
    const sharer = await askForNews(first.key, emails.first, true);
    await askForNews(second.key, emails.second, true);
    const coach = new HttpClient(app.url);
    await coach.signIn(cv.coach.email, cv.coach.password!);
    expect((await coach.post(`/espace/cv/${cv.candidate.id}`, { intent: "employed", until: "" })).status).toBe(302);
    const mail = await app.smtp.waitFor(emails.first, { subject: NEWS });
    await app.smtp.waitFor(emails.second, { subject: NEWS });

    // Opening the link shows one button (a mail scanner stops nothing); the button stops.
    const stopPath = new URL(linkIn(mail, `/partage/${first.key}/arreter`)).pathname;
    const page = await sharer.get(stopPath);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Ne plus recevoir les nouvelles");
    expect((await app.db.select().from(shareLinks).where(eq(shareLinks.code, first.code)))[0]!.email).toBe(emails.first);
    const stopped = await sharer.post(stopPath, {});
    expect(stopped.status).toBe(302);
    const report = await (await sharer.get(stopped.headers.get("location")!)).text();
    expect(report).toContain("nous avons oublié votre adresse");
    expect(report).not.toContain(emails.first);
    expect((await app.db.select().from(shareLinks).where(eq(shareLinks.code, first.code)))[0]!.email).toBeNull();

    // Searching again, then a new job: the one who stayed hears it, the one who stopped does not.
    expect((await coach.post(`/espace/cv/${cv.candidate.id}`, { intent: "searching" })).status).toBe(302);
    expect((await coach.post(`/espace/cv/${cv.candidate.id}`, { intent: "employed", until: "" })).status).toBe(302);
    await expect.poll(() => newsTo(emails.second).length, { timeout: 10_000 }).toBe(2);
    expect(newsTo(emails.first)).toHaveLength(1);
  });

  it("writes in the language the sharer asked for the news in", async () => {
    const cv = await aPublishedCv(app.db, { candidate: { firstName: "Omar" } });
    const link = await newLink(`/cv/${cv.cv.slug}`);
    const email = `english-${unique()}@exemple.test`;
    await askForNews(link.key, email, true, "en");
    const coach = new HttpClient(app.url);
    await coach.signIn(cv.coach.email, cv.coach.password!);
    expect((await coach.post(`/espace/cv/${cv.candidate.id}`, { intent: "employed", until: "" })).status).toBe(302);
    const mail = await app.smtp.waitFor(email, { subject: /Good news/ });
    expect(mail.subject).toBe("Good news: Omar has found a job");
    expect(mail.text).toContain("Thank you for sharing.");
    expect(linkIn(mail, "/partage/")).toBe(`${app.url}/partage/${link.key}`);
  });

  it("refuses to stop the news without the key or the form's token", async () => {
    const cv = await aPublishedCv(app.db);
    const link = await newLink(`/cv/${cv.cv.slug}`);
    const email = `keep-${unique()}@exemple.test`;
    const sharer = await askForNews(link.key, email, true);
    const wrong = link.key.slice(0, -1) + (link.key.endsWith("A") ? "B" : "A");
    expect((await sharer.get(`/partage/${wrong}/arreter`)).status).toBe(404);
    expect((await sharer.post(`/partage/${wrong}/arreter`, {})).status).toBe(404);
    expect((await sharer.post(`/partage/${link.key}/arreter`, { csrf: "" })).status).toBe(403);
    expect((await app.db.select().from(shareLinks).where(eq(shareLinks.code, link.code)))[0]!.email).toBe(email);
  });
});
