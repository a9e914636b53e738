import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidate, aCoach, anOffer, aPairing, aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { accountTokens, candidateOffers, cohorts, cvPhotos, cvs, cvVersions, outbox, pairings, users } from "../../app/db/schema";
import { writeToOutbox } from "../../app/domain/email/outbox";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * A zone is a boundary (decision 020): staff of Lyon see and act on Lyon's people and the people
 * of no zone; Paris's candidates do not exist for them. Staff without a zone are national.
 */
describe("staff work inside their zone", () => {
  let app: TestApp;
  let paris: Awaited<ReturnType<typeof aPublishedCv>>;
  let parisZone: string;
  let lyonZone: string;
  let offerId: string;
  let photoId: string;
  const client: Record<"lyon" | "paris" | "national", HttpClient> = {} as never;
  let nationalId: string;

  const signedIn = async (person: { email: string; password: string | null }) => {
    const c = new HttpClient(app.url);
    await c.signIn(person.email, person.password!);
    return c;
  };

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    parisZone = (await aZone(app.db, { name: `Paris ${Date.now()}`, departments: ["75"] })).id;
    lyonZone = (await aZone(app.db, { name: `Lyon ${Date.now()}`, departments: ["69"] })).id;
    paris = await aPublishedCv(app.db, { zoneId: parisZone, candidate: { firstName: "Awa", lastName: "Parisienne-Traoré" } });
    // A second version with a photo, so the versions page and the photo route have something to show.
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#c0392b" } }).jpeg().toBuffer();
    const [photo] = await app.db.insert(cvPhotos).values({ cvId: paris.cv.id, square: jpeg, large: jpeg }).returning();
    photoId = photo!.id;
    const [first] = await app.db.select().from(cvVersions).where(eq(cvVersions.cvId, paris.cv.id));
    const [second] = await app.db.insert(cvVersions).values({ cvId: paris.cv.id, revision: 2, content: { ...first!.content, photoId }, authorId: paris.coach.id }).returning();
    await app.db.update(cvs).set({ currentVersionId: second!.id, revision: 2 }).where(eq(cvs.id, paris.cv.id));
    offerId = (await anOffer(app.db, { zoneId: parisZone, department: "75" }, { candidateIds: [paris.candidate.id] })).id;
    client.lyon = await signedIn(await aStaffMember(app.db, { zoneId: lyonZone, firstName: "Karim", lastName: "Lyonnais" }));
    client.paris = await signedIn(await aStaffMember(app.db, { zoneId: parisZone, firstName: "Claire", lastName: "Parisienne" }));
    const national = await aStaffMember(app.db, { zoneId: null, firstName: "Nora", lastName: "Nationale" });
    nationalId = national.id;
    client.national = await signedIn(national);
  });
  afterAll(() => app.close());

  const pages = () => [
    `/espace/cv/${paris.candidate.id}`,
    `/espace/cv/${paris.candidate.id}/versions`,
    `/espace/cv/${paris.candidate.id}/versions?de=1&a=2`,
    `/espace/cv/${paris.candidate.id}/cv.pdf`,
    `/espace/cv/${paris.candidate.id}/photos/${photoId}.jpg`,
    `/espace/candidats/${paris.candidate.id}`,
    `/espace/offres/${paris.candidate.id}`,
    `/espace/offres/${paris.candidate.id}/${offerId}`,
    `/espace/offres/${paris.candidate.id}/${offerId}/embauche`,
    `/espace/offres/${paris.candidate.id}/nouvelle`,
    `/admin/membres/${paris.candidate.id}`,
    `/admin/membres/${paris.coach.id}`,
  ];

  it("answers 404 to staff of another zone on every page of a candidate, and shows nothing of them", async () => {
    for (const path of pages()) {
      const response = await client.lyon.get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain("Parisienne-Traoré");
    }
  });

  it("opens the same pages to staff of the candidate's zone and to national staff", async () => {
    for (const who of ["paris", "national"] as const) {
      for (const path of pages()) expect((await client[who].get(path)).status, `${who} ${path}`).toBe(200);
    }
  });

  it("refuses every action on the candidate to staff of another zone, and changes nothing", async () => {
    const snapshot = async () => ({
      cv: (await app.db.select().from(cvs).where(eq(cvs.id, paris.cv.id)))[0],
      followUp: (await app.db.select().from(candidateOffers).where(eq(candidateOffers.candidateId, paris.candidate.id)))[0],
      pairings: await app.db.select().from(pairings).where(eq(pairings.candidateId, paris.candidate.id)),
    });
    const before = await snapshot();
    const lyonCoach = await aCoach(app.db, { zoneId: lyonZone });
    const editor = `/espace/cv/${paris.candidate.id}`;
    const followUp = `/espace/offres/${paris.candidate.id}/${offerId}`;
    const actions: [string, Record<string, string>][] = [
      [editor, { intent: "save", revision: "2", catchphrase: "Écrit par Lyon", story: "", "goals.count": "0", "skills.count": "0", "experiences.count": "0", "languages.count": "0", "passions.count": "0", "testimonials.count": "0" }],
      [editor, { intent: "transition:unpublish" }],
      [editor, { intent: "transition:hide" }],
      [editor, { intent: "employed", until: "" }],
      [followUp, { intent: "note", note: "Lu par Lyon" }],
      [followUp, { intent: "status", status: "contacted" }],
      [followUp, { intent: "bookmark", value: "true" }],
      [`/admin/membres/${paris.candidate.id}`, { intent: "pair", coachId: lyonCoach.id }],
      [`/admin/membres/${paris.candidate.id}`, { intent: "unpair" }],
      [`/admin/membres/${paris.candidate.id}`, { intent: "resend" }],
    ];
    for (const [path, fields] of actions) {
      expect((await client.lyon.post(path, fields)).status, `${path} ${fields.intent}`).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("leaves the candidate out of every staff list of another zone", async () => {
    await app.db.update(cvs).set({ status: "submitted", submittedVersionId: paris.cv.currentVersionId }).where(eq(cvs.id, paris.cv.id));
    try {
      const name = "Parisienne-Traoré";
      expect(await (await client.lyon.get("/admin")).text()).not.toContain(name);
      expect(await (await client.paris.get("/admin")).text()).toContain(name);
      expect(await (await client.lyon.get("/admin/membres?q=traore")).text()).not.toContain(name);
      expect(await (await client.lyon.get(`/admin/membres?zone=${parisZone}`)).text()).not.toContain(name);
      expect(await (await client.national.get("/admin/membres?q=Parisienne-Traor")).text()).toContain(name);
      // The offer itself stays visible to every staff member; the candidates it went to do not.
      const offer = await client.lyon.get(`/admin/offres/${offerId}`);
      expect(offer.status).toBe(200);
      expect(await offer.text()).not.toContain(name);
      expect(await (await client.paris.get(`/admin/offres/${offerId}`)).text()).toContain(name);
    } finally {
      await app.db.update(cvs).set({ status: "published", submittedVersionId: null }).where(eq(cvs.id, paris.cv.id));
    }
  });

  it("offers only their own zone and coaches in the member form, and refuses another zone", async () => {
    const parisCoach = await aCoach(app.db, { zoneId: parisZone, lastName: "Coach-De-Paris" });
    const form = await (await client.lyon.get("/admin/membres/nouveau")).text();
    expect(form).toContain(`value="${lyonZone}"`);
    expect(form).not.toContain(`value="${parisZone}"`);
    expect(form).not.toContain("Coach-De-Paris");
    const email = `hors-zone.${Date.now()}@exemple.test`;
    const outside = await client.lyon.post("/admin/membres/nouveau", { role: "candidate", firstName: "Hors", lastName: "Zone", email, zoneId: parisZone, locale: "fr" });
    expect(outside.status).toBe(400);
    const withParisCoach = await client.lyon.post("/admin/membres/nouveau", { role: "candidate", firstName: "Hors", lastName: "Zone", email, zoneId: lyonZone, locale: "fr", coachId: parisCoach.id });
    expect(withParisCoach.status).toBe(400);
    expect(await app.db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it("lets zone staff add to a cohort only the CVs of their zone", async () => {
    const created = await client.lyon.post("/admin/promos", { name: `Promo zone ${Date.now()}`, description: "" });
    const path = created.headers.get("location")!;
    const refused = await client.lyon.post(path, { cv: paris.cv.slug });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Aucun CV à cette adresse.");
    const lyon = await aPublishedCv(app.db, { zoneId: lyonZone });
    expect((await client.lyon.post(path, { cv: lyon.cv.slug })).status).toBe(302);
    // National staff add the Paris CV; Lyon's page still lists only Lyon's.
    expect((await client.national.post(path, { cv: paris.cv.slug })).status).toBe(302);
    const page = await (await client.lyon.get(path)).text();
    expect(page).toContain(lyon.candidate.lastName);
    expect(page).not.toContain("Parisienne-Traoré");
    expect((await client.lyon.post(path, { intent: "remove", cvId: paris.cv.id })).status).toBe(404);
    const [cohort] = await app.db.select().from(cohorts).where(eq(cohorts.id, path.split("/").pop()!));
    expect(cohort).toBeDefined();
  });

  it("treats people of no zone as everyone's", async () => {
    const candidate = await aCandidate(app.db, { zoneId: null, lastName: "Sans-Zone" });
    const coach = await aCoach(app.db, { zoneId: null });
    await aPairing(app.db, candidate.id, coach.id);
    for (const who of ["lyon", "paris", "national"] as const) {
      expect((await client[who].get(`/espace/cv/${candidate.id}`)).status, who).toBe(200);
      expect((await client[who].get(`/admin/membres/${candidate.id}`)).status, who).toBe(200);
    }
  });

  it("never shows staff of another zone a message that could act as its recipient, nor national staff's", async () => {
    // Without SMTP the outbox shows links as they are: a reset link to Paris's candidate or an
    // invitation to national staff would hand their account to whoever reads it.
    const toParis = await writeToOutbox(app.db, { to: paris.candidate.email, toUserId: paris.candidate.id, locale: "fr", template: "password_reset", subject: "Lien pour Awa", text: "/mot-de-passe/secret-de-paris", html: "<p>/mot-de-passe/secret-de-paris</p>" });
    const toNational = await writeToOutbox(app.db, { to: "nora@exemple.test", toUserId: nationalId, locale: "fr", template: "invitation", subject: "Lien pour Nora", text: "/mot-de-passe/secret-national", html: "<p>/mot-de-passe/secret-national</p>" });
    await app.db.update(outbox).set({ status: "undelivered" }).where(eq(outbox.id, toParis));
    for (const id of [toParis, toNational]) {
      expect((await client.lyon.get(`/admin/boite-d-envoi/${id}`)).status, id).toBe(404);
      expect((await client.national.get(`/admin/boite-d-envoi/${id}`)).status, id).toBe(200);
    }
    expect((await client.lyon.post(`/admin/boite-d-envoi/${toParis}`, { intent: "resend" })).status).toBe(404);
    expect((await app.db.select({ status: outbox.status }).from(outbox).where(eq(outbox.id, toParis)))[0]!.status).toBe("undelivered");
    const list = await (await client.lyon.get("/admin/boite-d-envoi")).text();
    expect(list).not.toContain("Lien pour Awa");
    expect(list).not.toContain("Lien pour Nora");
    expect(await (await client.paris.get("/admin/boite-d-envoi")).text()).toContain("Lien pour Awa");
  });

  it("keeps national staff out of a zone's reach: not listed, not opened, not invited again", async () => {
    expect(await (await client.lyon.get("/admin/membres?q=Nationale")).text()).not.toContain("Nora");
    expect((await client.lyon.get(`/admin/membres/${nationalId}`)).status).toBe(404);
    const tokensBefore = await app.db.select().from(accountTokens).where(eq(accountTokens.userId, nationalId));
    expect((await client.lyon.post(`/admin/membres/${nationalId}`, { intent: "resend" })).status).toBe(404);
    expect(await app.db.select().from(accountTokens).where(eq(accountTokens.userId, nationalId))).toEqual(tokensBefore);
  });

  it("does not invite again someone whose account is in use", async () => {
    const active = await aCoach(app.db, { zoneId: lyonZone });
    const refused = await client.lyon.post(`/admin/membres/${active.id}`, { intent: "resend" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Ce compte est déjà activé");
    expect(await app.db.select().from(accountTokens).where(eq(accountTokens.userId, active.id))).toEqual([]);
  });
});
