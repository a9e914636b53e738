import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aCoach, anOffer, aStaffMember, aZone } from "../../app/db/factories";
import { auditLog, candidateOffers, offers, offerTransitions, outbox } from "../../app/db/schema";
import { dispatchValidatedOffer } from "../../app/domain/offers/dispatch";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/** Staff moderate employers' offers: validate (and dispatch), refuse with a reason, archive, restore, edit, duplicate, in bulk. */
describe("staff moderate the offers of their zone", () => {
  let app: TestApp;
  let zoneId: string;
  let staff: Awaited<ReturnType<typeof aStaffMember>>;
  let staffClient: HttpClient;
  let pair: Awaited<ReturnType<typeof aCandidateWithCoach>>;

  beforeAll(async () => {
    app = await startTestApp();
    zoneId = (await aZone(app.db, { departments: ["44"] })).id;
    staff = await aStaffMember(app.db, { zoneId, firstName: "Armelle", lastName: "Quéré" });
    staffClient = new HttpClient(app.url);
    await staffClient.signIn(staff.email, staff.password!);
    pair = await aCandidateWithCoach(app.db, { zoneId, candidate: { firstName: "Yanis", lastName: "Ferhat" } });
  });
  afterAll(() => app?.close());

  const pendingOffer = (overrides: Parameters<typeof anOffer>[1] = {}, to: Parameters<typeof anOffer>[2] = {}) =>
    anOffer(app.db, { status: "pending", zoneId, department: "44", ...overrides }, to);
  const page = async (path: string) => {
    const response = await staffClient.get(path);
    expect(response.status, path).toBe(200);
    return response.text();
  };
  const outboxTo = (address: string) => app.db.select().from(outbox).where(eq(outbox.toAddress, address));

  it("validates an addressed offer: the candidate and the coach get a link to it, the recruiter hears it is live", async () => {
    const offer = await pendingOffer({ company: "Menuiserie Le Goff", jobTitle: "Aide menuisier" }, { candidateIds: [pair.candidate.id] });
    const [before] = await app.db.select().from(candidateOffers).where(eq(candidateOffers.offerId, offer.id));
    expect(before!.notifiedAt).toBeNull();

    const response = await staffClient.post(`/admin/offres/${offer.id}`, { intent: "validate" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/admin/offres/${offer.id}?ok=validate`);

    const candidateMail = await app.smtp.waitFor(pair.candidate.email, { subject: /Aide menuisier/ });
    expect(candidateMail.text).toContain(`${app.url}/espace/offres/${pair.candidate.id}/${offer.id}`);
    expect(candidateMail.text).toContain("Menuiserie Le Goff");
    const coachMail = await app.smtp.waitFor(pair.coach.email, { subject: /Yanis Ferhat/ });
    expect(coachMail.text).toContain(`${app.url}/espace/offres/${pair.candidate.id}/${offer.id}`);
    const recruiterMail = await app.smtp.waitFor(offer.recruiterEmail, { subject: /en ligne/ });
    expect(recruiterMail.text).toContain("La suite");
    expect(recruiterMail.text).not.toContain("/espace/");

    const [after] = await app.db.select().from(candidateOffers).where(eq(candidateOffers.offerId, offer.id));
    expect(after!.notifiedAt).not.toBeNull();
    const [stored] = await app.db.select().from(offers).where(eq(offers.id, offer.id));
    expect(stored!.status).toBe("validated");
    expect(stored!.validatedAt).not.toBeNull();

    const html = await page(`/admin/offres/${offer.id}?ok=validate`);
    expect(html).toContain("l&#x27;offre est en ligne");
    expect(html).toMatch(/Armelle Quéré : À modérer → En ligne/);
    const [audit] = await app.db.select().from(auditLog).where(and(eq(auditLog.subjectId, offer.id), eq(auditLog.action, "offer.validate")));
    expect(audit!.actorId).toBe(staff.id);
  });

  it("never dispatches twice: a second validation is refused, two at once move it once, and a replayed dispatch writes nothing", async () => {
    const other = await aCandidateWithCoach(app.db, { zoneId });
    const offer = await pendingOffer({ jobTitle: "Plongeur" }, { candidateIds: [other.candidate.id] });
    const secondStaff = new HttpClient(app.url);
    const colleague = await aStaffMember(app.db, { zoneId });
    await secondStaff.signIn(colleague.email, colleague.password!);

    const answers = await Promise.all([
      staffClient.post(`/admin/offres/${offer.id}`, { intent: "validate" }),
      secondStaff.post(`/admin/offres/${offer.id}`, { intent: "validate" }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([302, 409]);
    const again = await staffClient.post(`/admin/offres/${offer.id}`, { intent: "validate" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("Cette offre ne peut plus être validée");

    const [row] = await app.db.select().from(offers).where(eq(offers.id, offer.id));
    const replay = await app.db.transaction((tx) => dispatchValidatedOffer(tx, app.url, app.services.sessionSecret, row!));
    expect(replay).toEqual([]);

    await app.smtp.waitFor(other.candidate.email, { subject: /Plongeur/ });
    expect(await outboxTo(other.candidate.email)).toHaveLength(1);
    expect(await outboxTo(other.coach.email)).toHaveLength(1);
    expect(await outboxTo(offer.recruiterEmail)).toHaveLength(1);
    expect(await app.db.select().from(offerTransitions).where(eq(offerTransitions.offerId, offer.id))).toHaveLength(1);
  });

  it("refuses only with a reason, and e-mails the reason to the recruiter in their language", async () => {
    const offer = await pendingOffer({ jobTitle: "Night porter", recruiterLocale: "en" });
    const missing = await staffClient.post(`/admin/offres/${offer.id}`, { intent: "refuse", comment: "   " });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Indiquez le motif du refus");
    expect((await app.db.select().from(offers).where(eq(offers.id, offer.id)))[0]!.status).toBe("pending");

    const refused = await staffClient.post(`/admin/offres/${offer.id}`, { intent: "refuse", comment: "Nous ne publions pas de postes de nuit seuls." });
    expect(refused.status).toBe(302);
    const mail = await app.smtp.waitFor(offer.recruiterEmail, { subject: /not accepted/ });
    expect(mail.text).toContain("Nous ne publions pas de postes de nuit seuls.");
    expect(mail.text).toContain("Hello");
    const [stored] = await app.db.select().from(offers).where(eq(offers.id, offer.id));
    expect(stored!.status).toBe("refused");
    expect(stored!.refusedReason).toBe("Nous ne publions pas de postes de nuit seuls.");
    const html = await page(`/admin/offres/${offer.id}`);
    expect(html).toContain("Motif du refus : Nous ne publions pas de postes de nuit seuls.");
  });

  it("archives and restores an offer, each step in the log with who did it", async () => {
    const offer = await pendingOffer({ jobTitle: "Agent d'entretien" });
    expect((await staffClient.post(`/admin/offres/${offer.id}`, { intent: "restore" })).status).toBe(409);
    expect((await staffClient.post(`/admin/offres/${offer.id}`, { intent: "archive" })).status).toBe(302);
    expect((await staffClient.post(`/admin/offres/${offer.id}`, { intent: "restore" })).status).toBe(302);
    const log = await app.db.select().from(offerTransitions).where(eq(offerTransitions.offerId, offer.id));
    expect(log.map((l) => [l.fromStatus, l.toStatus, l.actorId])).toEqual([
      ["pending", "archived", staff.id],
      ["archived", "pending", staff.id],
    ]);
    const html = await page(`/admin/offres/${offer.id}`);
    expect(html).toMatch(/Armelle Quéré : Archivée → À modérer/);
    expect(html).toMatch(/Armelle Quéré : À modérer → Archivée/);
  });

  it("lets staff correct an offer within the form's limits, and logs the change", async () => {
    const offer = await pendingOffer({ jobTitle: "Vendeur en boulangrie" });
    const fields = {
      intent: "edit",
      company: offer.company,
      jobTitle: "Vendeur en boulangerie",
      businessLine: "retail",
      contractType: "cdi",
      department: "44",
      address: "3 quai de la Fosse, Nantes",
      description: offer.description,
      prerequisites: "",
      hours: "6h-13h",
      salary: "SMIC",
      positions: "2",
    };
    const bad = await staffClient.post(`/admin/offres/${offer.id}`, { ...fields, jobTitle: "", department: "999", positions: "0" });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain("Ce champ est obligatoire.");
    expect(badHtml).toContain("Indiquez un nombre de postes entre 1 et 50.");
    expect((await app.db.select().from(offers).where(eq(offers.id, offer.id)))[0]!.jobTitle).toBe("Vendeur en boulangrie");

    expect((await staffClient.post(`/admin/offres/${offer.id}`, fields)).status).toBe(302);
    const [stored] = await app.db.select().from(offers).where(eq(offers.id, offer.id));
    expect(stored).toMatchObject({ jobTitle: "Vendeur en boulangerie", hours: "6h-13h", positions: 2, zoneId });
    const [audit] = await app.db.select().from(auditLog).where(and(eq(auditLog.subjectId, offer.id), eq(auditLog.action, "offer.edit")));
    expect(audit!.details).toMatchObject({ changes: { jobTitle: { before: "Vendeur en boulangrie", after: "Vendeur en boulangerie" } } });
  });

  it("duplicates an offer into a new pending one of its own group, told apart from the original", async () => {
    const offer = await anOffer(app.db, { zoneId, department: "44", jobTitle: "Cariste" }, { candidateIds: [pair.candidate.id] });
    const response = await staffClient.post(`/admin/offres/${offer.id}`, { intent: "duplicate" });
    expect(response.status).toBe(302);
    const copyId = response.headers.get("location")!.match(/\/admin\/offres\/([0-9a-f-]{36})\?ok=duplicate$/)![1]!;
    expect(copyId).not.toBe(offer.id);
    const [copy] = await app.db.select().from(offers).where(eq(offers.id, copyId));
    expect(copy).toMatchObject({ status: "pending", jobTitle: "Cariste", validatedAt: null, createdById: staff.id });
    expect(copy!.groupId).not.toBe(offer.groupId);
    const [addressed] = await app.db.select().from(candidateOffers).where(eq(candidateOffers.offerId, copyId));
    expect(addressed).toMatchObject({ candidateId: pair.candidate.id, channel: "addressed", notifiedAt: null });
    const html = await page(`/admin/offres/${copyId}?ok=duplicate`);
    expect(html).toContain("voici la copie");
    expect(html).toContain(`href="/admin/offres/${offer.id}"`);
  });

  it("validates in bulk: the offers that can move do, the one already refused is named and left alone", async () => {
    const a = await pendingOffer({ company: "Atelier Bulk A", jobTitle: "Soudeur" });
    const b = await pendingOffer({ company: "Atelier Bulk B", jobTitle: "Magasinier" });
    const refused = await pendingOffer({ company: "Atelier Bulk C", jobTitle: "Peintre", status: "refused", refusedReason: "Doublon" });
    const body = new URLSearchParams({ csrf: await staffClient.csrf(), transition: "validate", comment: "" });
    for (const id of [a.id, b.id, refused.id]) body.append("ids", id);
    const response = await fetch(`${app.url}/admin/offres`, {
      method: "POST",
      headers: { Cookie: [...staffClient.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "Content-Type": "application/x-www-form-urlencoded" },
      body,
      redirect: "manual",
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("C&#x27;est fait : 2 offres traitées.");
    expect(html).toContain("1 offre n&#x27;a pas changé");
    expect(html).toContain("Peintre — Atelier Bulk C (44) : Cette offre ne peut plus être validée");
    const statuses = await app.db.select({ id: offers.id, status: offers.status }).from(offers).where(like(offers.company, "Atelier Bulk %"));
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({ [a.id]: "validated", [b.id]: "validated", [refused.id]: "refused" });

    const none = await staffClient.post("/admin/offres", { transition: "validate" });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Cochez au moins une offre.");
  });

  it("lists held offers apart with their reason, and they reach no candidate until validated", async () => {
    const other = await aCandidateWithCoach(app.db, { zoneId });
    const held = await pendingOffer({ company: "Spam Possible SARL", jobTitle: "Gagnez vite", status: "held", heldReason: "honeypot,too_fast" }, { candidateIds: [other.candidate.id] });
    const waiting = await pendingOffer({ company: "Queue Ordinaire", jobTitle: "Serveur" });
    const html = await page("/admin/offres?q=&zone=mine");
    const heldSection = html.slice(html.indexOf("Mises de côté (spam possible)"));
    expect(heldSection).toContain("Gagnez vite — Spam Possible SARL");
    expect(heldSection).toContain("un champ invisible aux humains a été rempli");
    expect(html.indexOf("Serveur — Queue Ordinaire")).toBeLessThan(html.indexOf("Mises de côté (spam possible)"));
    expect(waiting.status).toBe("pending");
    expect(await outboxTo(other.candidate.email)).toHaveLength(0);

    expect((await staffClient.post(`/admin/offres/${held.id}`, { intent: "validate" })).status).toBe(302);
    await app.smtp.waitFor(other.candidate.email, { subject: /Gagnez vite/ });
  });

  it("refuses a staff post without the visitor's token, and changes nothing", async () => {
    const offer = await pendingOffer({ jobTitle: "Jardinier" });
    for (const [path, fields] of [
      [`/admin/offres/${offer.id}`, { intent: "validate" }],
      [`/admin/offres/${offer.id}`, { intent: "duplicate" }],
      ["/admin/offres", { ids: offer.id, transition: "archive" }],
    ] as [string, Record<string, string>][]) {
      expect((await staffClient.post(path, { ...fields, csrf: "pas-le-bon" })).status, path).toBe(403);
    }
    expect((await app.db.select().from(offers).where(eq(offers.id, offer.id)))[0]!.status).toBe("pending");
    expect(await app.db.select().from(offers).where(eq(offers.jobTitle, "Jardinier"))).toHaveLength(1);
  });

  it("shows the own zone and zoneless offers by default, every zone on demand, and finds by company or job", async () => {
    const elsewhere = (await aZone(app.db, { departments: ["13"] })).id;
    await anOffer(app.db, { status: "pending", zoneId: elsewhere, department: "13", company: "Savonnerie Marseillaise", jobTitle: "Conditionneur" });
    await anOffer(app.db, { status: "pending", zoneId: null, department: "2A", company: "Sans Zone Corse", jobTitle: "Berger" });
    const mine = await page("/admin/offres");
    expect(mine).not.toContain("Savonnerie Marseillaise");
    expect(mine).toContain("Sans Zone Corse");
    const all = await page("/admin/offres?zone=all&q=savonnerie");
    expect(all).toContain("Conditionneur — Savonnerie Marseillaise");
    expect(all).not.toContain("Sans Zone Corse");
    const byJob = await page("/admin/offres?zone=all&q=Berger");
    expect(byJob).toContain("Berger — Sans Zone Corse");
    expect(await page("/admin")).toMatch(/Offres à modérer \(\d+\)/);
  });
  it("refuses a held offer (likely spam) without e-mailing the address a robot typed, and a found-elsewhere offer is validated without a 'live' e-mail", async () => {
    const held = await pendingOffer({ status: "held", heldReason: "honeypot", company: "Robot SARL" });
    expect((await staffClient.post(`/admin/offres/${held.id}`, { intent: "refuse", comment: "Spam." })).status).toBe(302);
    const [refused] = await app.db.select().from(offers).where(eq(offers.id, held.id));
    expect(refused!.status).toBe("refused");
    expect(await outboxTo(held.recruiterEmail)).toHaveLength(0);

    const found = await pendingOffer({ origin: "internet", recruiterEmail: "", company: "Trouvée Ailleurs" }, { candidateIds: [pair.candidate.id] });
    expect((await staffClient.post(`/admin/offres/${found.id}`, { intent: "validate" })).status).toBe(302);
    expect(await outboxTo("")).toHaveLength(0);
  });

  it("answers a malformed offer address with a refusal, never an error, whatever the action", async () => {
    expect((await staffClient.post("/admin/offres/pas-un-identifiant", { intent: "recommend", candidateIds: pair.candidate.id })).status).toBe(404);
    for (const intent of ["validate", "duplicate", "edit"]) {
      const response = await staffClient.post("/admin/offres/pas-un-identifiant", { intent });
      expect([400, 404], intent).toContain(response.status);
    }
  });
});

describe("the offer moderation is staff only", () => {
  let app: TestApp;
  let offerId: string;
  let pair: Awaited<ReturnType<typeof aCandidateWithCoach>>;

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    const zoneId = (await aZone(app.db)).id;
    pair = await aCandidateWithCoach(app.db, { zoneId });
    offerId = (await anOffer(app.db, { status: "pending", zoneId, company: "Secrète SA" }, { candidateIds: [pair.candidate.id] })).id;
  });
  afterAll(() => app?.close());

  it("answers 404 to candidates and coaches, sends anonymous visitors to sign in, and changes nothing", async () => {
    const anonymous = new HttpClient(app.url);
    const candidate = new HttpClient(app.url);
    await candidate.signIn(pair.candidate.email, pair.candidate.password!);
    const coach = new HttpClient(app.url);
    await coach.signIn(pair.coach.email, pair.coach.password!);
    const loneCoach = await aCoach(app.db);
    const otherCoach = new HttpClient(app.url);
    await otherCoach.signIn(loneCoach.email, loneCoach.password!);

    const pages = ["/admin/offres", "/admin/offres?status=held&zone=all", `/admin/offres/${offerId}`, "/admin/offres/pas-un-id"];
    const posts: [string, Record<string, string>][] = [
      ["/admin/offres", { ids: offerId, transition: "validate" }],
      ...["validate", "refuse", "archive", "restore", "duplicate", "recommend", "edit"].map(
        (intent) => [`/admin/offres/${offerId}`, { intent, comment: "non", candidateIds: pair.candidate.id, jobTitle: "Piraté" }] as [string, Record<string, string>],
      ),
    ];
    for (const [who, client] of [["candidate", candidate], ["coach", coach], ["otherCoach", otherCoach]] as const) {
      for (const path of pages) {
        const response = await client.get(path);
        expect(response.status, `${who} ${path}`).toBe(404);
        expect(await response.text()).not.toContain("Secrète SA");
      }
      for (const [path, fields] of posts) expect((await client.post(path, fields)).status, `${who} POST ${path} ${fields.intent}`).toBe(404);
    }
    for (const path of pages) {
      const response = await anonymous.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/connexion\?retour=/);
    }
    for (const [path, fields] of posts) {
      const response = await anonymous.post(path, fields);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/connexion/);
    }
    const [offer] = await app.db.select().from(offers).where(eq(offers.id, offerId));
    expect(offer).toMatchObject({ status: "pending", jobTitle: "Vendeur·se en boulangerie" });
    expect(await app.db.select().from(offerTransitions).where(eq(offerTransitions.offerId, offerId))).toHaveLength(0);
    expect(await app.db.select().from(offers).where(eq(offers.company, "Secrète SA"))).toHaveLength(1);
  });

});

