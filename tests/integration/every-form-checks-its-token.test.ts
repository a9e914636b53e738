import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anOffer, aPublishedCv, aStaffMember } from "../../app/db/factories";
import { candidateOffers, cvs, offers, users } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * Every form that changes something refuses a post without the visitor's CSRF token, even from
 * a signed-in staff member, and changes nothing. (Sign-out, the language switch and the share
 * counters take no token by design: they cannot harm anyone.)
 */
describe("every form checks its CSRF token", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  it("refuses forged posts on every state-changing form", async () => {
    const { candidate, zoneId } = await aPublishedCv(app.db);
    const staff = await aStaffMember(app.db, { zoneId });
    const pending = await anOffer(app.db, { status: "pending", validatedAt: null }, { candidateIds: [candidate.id] });
    const live = await anOffer(app.db, {}, { candidateIds: [candidate.id] });
    const client = new HttpClient(app.url);
    await client.signIn(staff.email, staff.password!);
    const snapshot = async () => ({
      offers: await app.db.select().from(offers).orderBy(offers.id),
      followUps: await app.db.select().from(candidateOffers).orderBy(candidateOffers.offerId),
      users: (await app.db.select({ id: users.id }).from(users)).length,
      cv: (await app.db.select().from(cvs).where(eq(cvs.candidateId, candidate.id)))[0],
      locale: (await app.db.select({ locale: users.locale }).from(users).where(eq(users.id, staff.id)))[0]!.locale,
    });
    const before = await snapshot();
    const forged: [string, Record<string, string>][] = [
      ["/mot-de-passe-oublie", { email: staff.email }],
      ["/compte", { intent: "locale", locale: "en" }],
      ["/compte", { intent: "sign-out-everywhere" }],
      ["/admin/membres/nouveau", { role: "coach", firstName: "Faux", lastName: "Compte", email: "faux@exemple.test", zoneId }],
      [`/admin/membres/${candidate.id}`, { intent: "unpair" }],
      [`/espace/cv/${candidate.id}`, { intent: "transition:hide" }],
      [`/espace/cv/${candidate.id}`, { intent: "employed", until: "" }],
      [`/espace/cv/${candidate.id}`, { intent: "save", revision: "1", catchphrase: "Forgé" }],
      ["/offres/nouvelle", { company: "Faux", jobTitle: "Faux" }],
      ["/admin/offres", { transition: "validate", ids: pending.id }],
      [`/admin/offres/${pending.id}`, { intent: "validate" }],
      [`/admin/offres/${pending.id}`, { intent: "duplicate" }],
      [`/espace/offres/${candidate.id}/${live.id}`, { intent: "status", status: "contacted" }],
      [`/espace/offres/${candidate.id}/${live.id}`, { intent: "note", note: "Forgé" }],
      [`/espace/offres/${candidate.id}/nouvelle`, { origin: "internet", company: "Faux", jobTitle: "Faux" }],
      [`/espace/offres/${candidate.id}/${live.id}/embauche`, { contractType: "cdi", startDate: "2026-12-01" }],
    ];
    for (const [path, fields] of forged) {
      for (const csrf of ["", "un-jeton-invente-qui-ne-correspond-a-rien"]) {
        const response = await client.post(path, { ...fields, csrf });
        expect(response.status, `${path} ${fields.intent ?? ""}`).toBe(403);
      }
    }
    expect(await snapshot()).toEqual(before);
    // Signing in is checked too (anonymously: a signed-in visitor is sent on to their space).
    expect((await new HttpClient(app.url).post("/connexion", { email: staff.email, password: staff.password!, csrf: "" })).status).toBe(403);
    // The same session still works: nothing was signed out.
    expect((await client.get("/admin/membres")).status).toBe(200);
  });
});
