import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anOffer, aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { candidateOffers, outbox, publicCvs } from "../../app/db/schema";
import type { CvContent } from "../../app/domain/cv/content";
import { matchingOffersFor } from "../../app/domain/offers/matching";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/** A public offer meets the published CVs that fit it: staff see them ranked with reasons and recommend it to some. */
describe("public offers are matched with published CVs", () => {
  let app: TestApp;
  let staffClient: HttpClient;
  let offerId: string;
  let near: Awaited<ReturnType<typeof aPublishedCv>>;
  let sameRegion: Awaited<ReturnType<typeof aPublishedCv>>;
  let otherTrade: Awaited<ReturnType<typeof aPublishedCv>>;
  let employed: Awaited<ReturnType<typeof aPublishedCv>>;
  let zoneId: string;

  beforeAll(async () => {
    app = await startTestApp();
    zoneId = (await aZone(app.db, { departments: ["75", "92"] })).id;
    const staff = await aStaffMember(app.db, { zoneId });
    staffClient = new HttpClient(app.url);
    await staffClient.signIn(staff.email, staff.password!);
    const cook = (departments: string[], contracts: CvContent["contracts"], businessLine: CvContent["goals"][number]["businessLine"] = "hospitality") => ({
      zoneId,
      content: { goals: [{ businessLine, job: "Commis de cuisine" }], departments, contracts },
    });
    near = await aPublishedCv(app.db, { ...cook(["75"], ["cdi"]), candidate: { firstName: "Awa", lastName: "Diallo" } });
    sameRegion = await aPublishedCv(app.db, { ...cook(["92"], ["cdd_short"]), candidate: { firstName: "Bruno", lastName: "Lemaire" } });
    otherTrade = await aPublishedCv(app.db, { ...cook(["13"], ["cdi"], "retail"), candidate: { firstName: "Chloé", lastName: "Martin" } });
    employed = await aPublishedCv(app.db, { ...cook(["75"], ["cdi"]), candidate: { firstName: "Denis", lastName: "Roux" } });
    await app.db.update(publicCvs).set({ employed: true }).where(eq(publicCvs.cvId, employed.cv.id));
    offerId = (await anOffer(app.db, { isPublic: true, zoneId, businessLine: "hospitality", department: "75", contractType: "cdi", jobTitle: "Commis de cuisine", company: "Brasserie du Canal" })).id;
  });
  afterAll(() => app?.close());

  it("ranks the fitting candidates with their reasons, leaving out employed people and other trades far away", async () => {
    const html = await (await staffClient.get(`/admin/offres/${offerId}`)).text();
    const awa = html.indexOf("Awa Diallo");
    const bruno = html.indexOf("Bruno Lemaire");
    expect(awa).toBeGreaterThan(0);
    expect(bruno).toBeGreaterThan(awa);
    expect(html).not.toContain("Chloé Martin");
    expect(html).not.toContain("Denis Roux");
    const awaRow = html.slice(awa, bruno);
    expect(awaRow).toContain("Même métier : Restauration et hôtellerie");
    expect(awaRow).toContain("Même département : Paris (75)");
    expect(awaRow).toContain("Contrat souhaité : CDI");
    const brunoRow = html.slice(bruno, html.indexOf("</tr>", bruno));
    expect(brunoRow).toContain("Même région : Île-de-France");
    expect(brunoRow).not.toContain("Contrat souhaité");

    const withEmployed = await (await staffClient.get(`/admin/offres/${offerId}?employed=1`)).text();
    expect(withEmployed).toContain("Denis Roux");
  });

  it("recommends the offer to the chosen candidate only: they and their coach are told, once", async () => {
    const response = await staffClient.post(`/admin/offres/${offerId}`, { intent: "recommend", candidateIds: near.candidate.id });
    expect(response.status).toBe(302);
    const mail = await app.smtp.waitFor(near.candidate.email, { subject: /recommande/ });
    expect(mail.text).toContain(`${app.url}/espace/offres/${near.candidate.id}/${offerId}`);
    await app.smtp.waitFor(near.coach.email, { subject: /Awa Diallo/ });
    const [row] = await app.db.select().from(candidateOffers).where(eq(candidateOffers.candidateId, near.candidate.id));
    expect(row).toMatchObject({ offerId, channel: "recommended" });
    expect(row!.notifiedAt).not.toBeNull();

    expect((await staffClient.post(`/admin/offres/${offerId}`, { intent: "recommend", candidateIds: near.candidate.id })).status).toBe(302);
    expect(await app.db.select().from(outbox).where(eq(outbox.toAddress, near.candidate.email))).toHaveLength(1);
    expect(await app.db.select().from(outbox).where(eq(outbox.toAddress, sameRegion.candidate.email))).toHaveLength(0);
    expect(await app.db.select().from(outbox).where(eq(outbox.toAddress, sameRegion.coach.email))).toHaveLength(0);

    const none = await staffClient.post(`/admin/offres/${offerId}`, { intent: "recommend" });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Cochez au moins une personne");
    const addressed = await anOffer(app.db, {}, { candidateIds: [otherTrade.candidate.id] });
    const refused = await staffClient.post(`/admin/offres/${addressed.id}`, { intent: "recommend", candidateIds: near.candidate.id });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Seule une offre publique en ligne peut être recommandée.");
  });

  it("gives each candidate the public live offers that fit their CV, best first, with the reasons", async () => {
    const regional = await anOffer(app.db, { isPublic: true, businessLine: "hospitality", department: "93", contractType: "cdd_short", jobTitle: "Plongeur Bobigny" });
    await anOffer(app.db, { isPublic: true, status: "pending", businessLine: "hospitality", department: "75", jobTitle: "Pas encore en ligne" });
    await anOffer(app.db, { isPublic: true, businessLine: "retail", department: "13", jobTitle: "Loin et autre métier" });
    const offers = await matchingOffersFor(app.db, near.candidate.id, { limit: 10 });
    const titles = offers.map((o) => o.jobTitle);
    expect(titles.indexOf("Commis de cuisine")).toBeLessThan(titles.indexOf("Plongeur Bobigny"));
    expect(titles).not.toContain("Pas encore en ligne");
    expect(titles).not.toContain("Loin et autre métier");
    expect(offers.find((o) => o.id === offerId)!.reasons).toEqual([
      { kind: "businessLine", value: "hospitality" },
      { kind: "department", value: "75" },
      { kind: "contract", value: "cdi" },
    ]);
    expect(offers.find((o) => o.id === regional.id)!.reasons).toEqual([
      { kind: "businessLine", value: "hospitality" },
      { kind: "region", value: "idf" },
    ]);
    expect(await matchingOffersFor(app.db, "00000000-0000-0000-0000-000000000000")).toEqual([]);
  });

  it("never suggests an offer outside the departments a candidate can work in, whatever the trade", async () => {
    const far = await anOffer(app.db, { isPublic: true, businessLine: "hospitality", department: "13", contractType: "cdi", jobTitle: "Commis à Marseille", company: "Brasserie du Vieux-Port" });
    // The Paris cooks name 75 and 92: a cook's job in Marseille is not for them, neither way.
    expect((await matchingOffersFor(app.db, near.candidate.id, { limit: 100 })).map((o) => o.jobTitle)).not.toContain("Commis à Marseille");
    expect((await matchingOffersFor(app.db, sameRegion.candidate.id, { limit: 100 })).map((o) => o.jobTitle)).not.toContain("Commis à Marseille");
    const ranking = await (await staffClient.get(`/admin/offres/${far.id}`)).text();
    expect(ranking).not.toContain("Awa Diallo");
    expect(ranking).not.toContain("Bruno Lemaire");
    // Someone who names no department is suggested the jobs of their trade anywhere.
    const anywhere = await aPublishedCv(app.db, { zoneId, content: { goals: [{ businessLine: "hospitality", job: "Plongeur" }], departments: [], contracts: [] } });
    expect((await matchingOffersFor(app.db, anywhere.candidate.id, { limit: 100 })).map((o) => o.jobTitle)).toContain("Commis à Marseille");
  });
});
