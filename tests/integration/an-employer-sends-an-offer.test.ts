import { count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv, aZone } from "../../app/db/factories";
import { candidateOffers, offers, offerTransitions, outbox, shareLinks } from "../../app/db/schema";
import { normalisePhone } from "../../app/domain/offers/submission-schema";
import { signFormStamp } from "../../app/domain/offers/submission-spam";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

let ipCounter = 0;
/** Each visitor comes from their own address (TRUST_PROXY=1): the flood limit counts per IP. */
const visitor = (app: TestApp, ip = `198.51.100.${++ipCounter}`) => new HttpClient(app.url, { "X-Forwarded-For": ip });
const unique = () => Math.random().toString(36).slice(2, 10);
/** The <input> tag of a page that holds `attribute`. */
const inputOf = (html: string, attribute: string) => html.match(new RegExp(`<input[^>]*${attribute}[^>]*>`))?.[0] ?? "";
const decode = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

describe("an employer sends an offer without an account", () => {
  let app: TestApp;
  let secret: string;
  beforeAll(async () => {
    app = await startTestApp({ env: { TRUST_PROXY: "1" } });
    secret = (app.services as unknown as { sessionSecret: string }).sessionSecret;
  });
  afterAll(() => app.close());

  /** A form as a person fills it: shown more than 3 seconds ago. */
  const valid = (overrides: Record<string, string> = {}) => ({
    stamp: signFormStamp(secret, Date.now() - 60_000),
    audience: "public",
    company: "Boulangerie des Lilas",
    recruiterName: "Sophie Garnier",
    recruiterPosition: "Gérante",
    email: `Sophie.${unique()}@Boulangerie.test`,
    phone: "06 12 34 56 78",
    jobTitle: "Vendeur·se en boulangerie",
    businessLine: "retail",
    contractType: "cdi",
    description: "Accueil des clients, vente, mise en rayon.\nÉquipe de quatre personnes.",
    prerequisites: "",
    startDate: "",
    endDate: "",
    hours: "6 h – 13 h",
    salary: "SMIC",
    positions: "2",
    "department-0": "69",
    "address-0": "3 place Bellecour, 69002 Lyon",
    message: "",
    website: "",
    ...overrides,
  });
  const offersOf = (email: string) => app.db.select().from(offers).where(eq(offers.recruiterEmail, email.toLowerCase()));
  const offerCount = async () => (await app.db.select({ n: count() }).from(offers))[0]!.n;

  it("sends a public offer for two workplaces: two offers in one group, waiting for staff, a confirmation page and an e-mail", async () => {
    const lyon = await aZone(app.db, { name: `Lyon ${unique()}`, departments: ["69"] });
    const employer = visitor(app);
    const page = await employer.get("/offres/nouvelle");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Proposer une offre d&#x27;emploi");
    expect(html).toMatch(/name="website"[^>]*tabindex="-1"|tabindex="-1"[^>]*name="website"/i);

    const fields = valid({ "department-1": "2A", "address-1": "Port de Tino Rossi, Ajaccio", places: "2", partTime: "on" });
    const response = await employer.post("/offres/nouvelle", fields);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/offres/envoyee");
    const confirmation = await employer.get("/offres/envoyee");
    expect(decode(await confirmation.text())).toContain("Merci, votre offre est bien reçue");

    const sent = await offersOf(fields.email);
    expect(sent).toHaveLength(2);
    expect(new Set(sent.map((o) => o.groupId)).size).toBe(1);
    const byPlace = Object.fromEntries(sent.map((o) => [o.department, o]));
    expect(byPlace["69"]).toMatchObject({ status: "pending", isPublic: true, zoneId: lyon.id, address: "3 place Bellecour, 69002 Lyon", heldReason: null });
    // A workplace no zone covers goes to every staff member.
    expect(byPlace["2A"]).toMatchObject({ status: "pending", zoneId: null });
    expect(sent[0]).toMatchObject({
      recruiterEmail: fields.email.toLowerCase(),
      recruiterPhone: "+33612345678",
      recruiterLocale: "fr",
      positions: 2,
      partTime: true,
      drivingLicence: false,
      origin: "employer",
      shareLinkId: null,
    });
    const logged = await app.db.select().from(offerTransitions).where(inArray(offerTransitions.offerId, sent.map((o) => o.id)));
    expect(logged.map((l) => [l.fromStatus, l.toStatus])).toEqual([
      [null, "pending"],
      [null, "pending"],
    ]);

    const mail = await app.smtp.waitFor(fields.email.toLowerCase(), { subject: /bien reçue/ });
    expect(mail.text).toContain("Vendeur·se en boulangerie");
    expect(mail.text).toContain("3 place Bellecour, 69002 Lyon — Rhône (69)");
    expect(mail.text).toContain("Corse-du-Sud");
    expect(mail.text).toContain("vérifie");
  });

  it("writes to an English-speaking recruiter in English", async () => {
    const employer = visitor(app);
    await employer.get("/langue?locale=en&retour=/offres/nouvelle");
    const fields = valid();
    expect((await employer.post("/offres/nouvelle", fields)).status).toBe(302);
    expect((await offersOf(fields.email))[0]!.recruiterLocale).toBe("en");
    const mail = await app.smtp.waitFor(fields.email.toLowerCase(), { subject: /has been received/ });
    expect(mail.text).toContain("We will write to you as soon as it is live");
  });

  it("addresses an offer to the candidate preselected from their CV page, who is not told before staff validate it", async () => {
    const { cv, candidate } = await aPublishedCv(app.db, { candidate: { firstName: "Karim" } });
    const other = await aPublishedCv(app.db, { candidate: { firstName: "Awa" } });
    const employer = visitor(app);
    const page = decode(await (await employer.get(`/offres/nouvelle?candidat=${cv.slug}`)).text());
    // Preselected, shown first, public-safe: first name, initial and goals only.
    expect(inputOf(page, `value="${cv.slug}"`)).toContain("checked");
    expect(inputOf(page, `value="${other.cv.slug}"`)).not.toContain("checked");
    expect(page).toContain("Karim");
    expect(page).not.toContain(candidate.email);
    expect(page).not.toContain(candidate.lastName);
    expect(inputOf(page, 'value="candidates"')).toContain("checked");

    const fields = valid({ audience: "candidates", candidates: cv.slug, message: "Bonjour Karim, votre parcours nous a plu.", "department-1": "75", "address-1": "12 rue des Lilas, Paris" });
    const body = new URLSearchParams(fields);
    body.append("candidates", other.cv.slug);
    body.set("csrf", await employer.csrf());
    const response = await fetch(`${app.url}/offres/nouvelle`, {
      method: "POST",
      redirect: "manual",
      headers: { ...employer.headers, Cookie: `lo_csrf=${employer.cookies.get("lo_csrf")}`, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(response.status).toBe(302);
    const sent = await offersOf(fields.email);
    expect(sent).toHaveLength(2);
    expect(sent.every((o) => !o.isPublic && o.message === "Bonjour Karim, votre parcours nous a plu.")).toBe(true);
    const addressed = await app.db.select().from(candidateOffers).where(inArray(candidateOffers.offerId, sent.map((o) => o.id)));
    expect(addressed).toHaveLength(4); // two candidates × two places
    expect(new Set(addressed.map((a) => a.candidateId))).toEqual(new Set([candidate.id, other.candidate.id]));
    expect(addressed.every((a) => a.channel === "addressed" && a.notifiedAt === null && a.status === "to_process")).toBe(true);
    // Only the recruiter hears from us now.
    await app.smtp.waitFor(fields.email.toLowerCase());
    const toCandidates = await app.db.select().from(outbox).where(inArray(outbox.toAddress, [candidate.email, other.candidate.email]));
    expect(toCandidates).toHaveLength(0);
  });

  it("the picker finds published candidates by a search, without JavaScript, keeping what was typed", async () => {
    const { cv } = await aPublishedCv(app.db, { candidate: { firstName: "Zéphyrine" }, content: { catchphrase: "Passionnée de menuiserie ébénisterie" } });
    const employer = visitor(app);
    const response = await employer.post("/offres/nouvelle", valid({ intent: "search", recherche: "ebenisterie", company: "Menuiserie Dupont" }));
    expect(response.status).toBe(200);
    const html = decode(await response.text());
    expect(html).toContain(`value="${cv.slug}"`);
    expect(html).toContain("Zéphyrine");
    expect(html).toContain('value="Menuiserie Dupont"');
    // A second place is added the same way.
    const more = decode(await (await employer.post("/offres/nouvelle", valid({ intent: "add-place", places: "1" }))).text());
    expect(more).toContain('name="department-1"');
  });

  it("explains each mistake in French, keeps what was typed and stores nothing", async () => {
    const before = await offerCount();
    const employer = visitor(app);
    const response = await employer.post(
      "/offres/nouvelle",
      valid({ company: "", email: "pas-une-adresse", phone: "12", startDate: "2026-02-30", endDate: "2020-01-01", positions: "0", "department-0": "99", jobTitle: "Cariste", description: "x".repeat(4001), audience: "candidates" }),
    );
    expect(response.status).toBe(400);
    const html = decode(await response.text());
    expect(html).toContain("Le formulaire contient des erreurs");
    for (const message of [
      "Ce champ est obligatoire.",
      "Adresse e-mail invalide",
      "Numéro de téléphone invalide",
      "Date invalide",
      "Indiquez un nombre de postes entre 1 et 50.",
      "Choix invalide.",
      "4 000 caractères au plus",
    ]) {
      expect(html).toContain(message);
    }
    // The summary names each field and links to it.
    expect(html).toContain('href="#field-company"');
    expect(html).toContain("Nom de l'entreprise\u202f: Ce champ est obligatoire.");
    expect(html).toContain("Votre téléphone\u202f: Numéro de téléphone invalide");
    expect(html).toContain("Lieu 1, département\u202f: Choix invalide.");
    expect(html).toContain('value="Cariste"');
    expect(await offerCount()).toBe(before);
  });

  it("reports the date mistakes at once with every other one, not after they are fixed", async () => {
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const employer = visitor(app);
    const reversed = decode(await (await employer.post("/offres/nouvelle", valid({ company: "", phone: "12", startDate: inDays(30), endDate: inDays(10) }))).text());
    expect(reversed).toContain("Nom de l'entreprise\u202f: Ce champ est obligatoire.");
    expect(reversed).toContain("Votre téléphone\u202f: Numéro de téléphone invalide");
    expect(reversed).toContain("La date de fin doit venir après la date de début");
    const farAway = decode(await (await employer.post("/offres/nouvelle", valid({ jobTitle: "", audience: "candidates", startDate: inDays(5 * 366) }))).text());
    expect(farAway).toContain("Ce champ est obligatoire.");
    expect(farAway).toContain("La date de début doit se situer entre le mois dernier et les deux prochaines années.");
    expect(farAway).toContain("Choisissez au moins une personne");
  });

  it("refuses a candidate who is not (or no longer) published, or none at all when the offer is addressed", async () => {
    const before = await offerCount();
    const none = await visitor(app).post("/offres/nouvelle", valid({ audience: "candidates" }));
    expect(none.status).toBe(400);
    expect(decode(await none.text())).toContain("Choisissez au moins une personne, ou adressez l'offre à tous.");
    const response = await visitor(app).post("/offres/nouvelle", valid({ audience: "candidates", candidates: "personne-inconnue" }));
    expect(response.status).toBe(400);
    expect(decode(await response.text())).toContain("Une des personnes choisies n'est plus disponible");
    expect(await offerCount()).toBe(before);
  });

  it("normalises French and international phone numbers", async () => {
    expect(normalisePhone("06 12 34 56 78")).toBe("+33612345678");
    expect(normalisePhone("+33 6 12 34 56 78")).toBe("+33612345678");
    expect(normalisePhone("0033 6 12 34 56 78")).toBe("+33612345678");
    expect(normalisePhone("06.12.34.56.78")).toBe("+33612345678");
    expect(normalisePhone("+44 20 7946 0958")).toBe("+442079460958");
    expect(normalisePhone("06 12")).toBeNull();
    expect(normalisePhone("appelez-moi")).toBeNull();
    const fields = valid({ phone: "0044 20 7946 0958" });
    expect((await visitor(app).post("/offres/nouvelle", fields)).status).toBe(302);
    expect((await offersOf(fields.email!))[0]!.recruiterPhone).toBe("+442079460958");
  });

  it("holds back likely spam for staff — honeypot, too fast, no stamp, flood — with the same confirmation and nothing sent", { timeout: 60_000 }, async () => {
    const { cv, candidate } = await aPublishedCv(app.db);
    const addressed = { audience: "candidates", candidates: cv.slug };
    const cases: [string, ReturnType<typeof valid>][] = [
      ["honeypot", valid({ ...addressed, website: "http://spam.example" })],
      ["too_fast", valid({ ...addressed, stamp: signFormStamp(secret, Date.now()) })],
      ["no_stamp", valid({ ...addressed, stamp: "1700000000000.forged-forged-forged-forged-forged-fo" })],
    ];
    for (const [reason, fields] of cases) {
      const response = await visitor(app).post("/offres/nouvelle", fields);
      expect(response.status, reason).toBe(302);
      expect(response.headers.get("location")).toBe("/offres/envoyee");
      const [held] = await offersOf(fields.email);
      expect(held, reason).toMatchObject({ status: "held", heldReason: reason });
      expect(await app.db.select().from(outbox).where(eq(outbox.toAddress, fields.email.toLowerCase()))).toHaveLength(0);
    }
    // The stamp the page gives is genuine, but a robot posts it at once.
    const robot = visitor(app);
    const page = await (await robot.get(`/offres/nouvelle?candidat=${cv.slug}`)).text();
    const stamp = page.match(/name="stamp" value="([^"]+)"/)![1]!;
    const fast = valid({ ...addressed, stamp });
    expect((await robot.post("/offres/nouvelle", fast)).status).toBe(302);
    expect((await offersOf(fast.email))[0]).toMatchObject({ status: "held", heldReason: "too_fast" });

    // Five offers an hour from one address are welcome; the next ones are held; past 20, refused.
    // (The limit counts in fixed windows of an hour: do not straddle two.)
    const left = 3600 - ((Date.now() / 1000) % 3600);
    if (left < 15) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 100));
    const flooder = visitor(app, "203.0.113.99");
    const emails: string[] = [];
    for (let i = 0; i < 20; i++) {
      const fields = valid(addressed);
      emails.push(fields.email.toLowerCase());
      expect((await flooder.post("/offres/nouvelle", fields)).status).toBe(302);
    }
    const statuses = await app.db.select({ status: offers.status, heldReason: offers.heldReason, email: offers.recruiterEmail }).from(offers).where(inArray(offers.recruiterEmail, emails));
    expect(statuses.filter((s) => s.status === "pending")).toHaveLength(5);
    expect(statuses.filter((s) => s.status === "held" && s.heldReason === "flood")).toHaveLength(15);
    const before = await offerCount();
    const refused = await flooder.post("/offres/nouvelle", valid(addressed));
    expect(refused.status).toBe(429);
    expect(decode(await refused.text())).toContain("Trop d'offres ont été envoyées depuis votre connexion");
    expect(await offerCount()).toBe(before);
    // None of it reached the candidate.
    expect(await app.db.select().from(outbox).where(eq(outbox.toAddress, candidate.email))).toHaveLength(0);
  });

  it("refuses a post without the visitor's token and stores nothing", async () => {
    const before = await offerCount();
    const employer = visitor(app);
    for (const csrf of ["", "un-jeton-invente"]) {
      const response = await employer.post("/offres/nouvelle", { ...valid(), csrf });
      expect(response.status).toBe(403);
      expect(decode(await response.text())).toContain("Le formulaire a expiré");
    }
    expect(await offerCount()).toBe(before);
  });

  it("attributes an offer sent after arriving through a personal share link to that link", async () => {
    const { cv } = await aPublishedCv(app.db, { candidate: { firstName: "Lina" } });
    const sharer = visitor(app);
    const created = await sharer.post(`/cv/${cv.slug}/mon-lien`, {}, { csrf: false });
    expect(created.status).toBe(200);
    const createdPage = decode(await created.text());
    const code = createdPage.match(/\/s\/([a-z2-9]{8})/)![1]!;
    const report = createdPage.match(/\/partage\/([A-Za-z0-9_-]{43})/)![0];
    const [link] = await app.db.select().from(shareLinks).where(eq(shareLinks.code, code));

    // The employer follows the link, reads the CV and clicks "send an offer".
    const employer = visitor(app);
    const redirect = await employer.get(`/s/${code}`);
    expect(redirect.headers.get("location")).toBe(`/cv/${cv.slug}?via=${code}`);
    const cvPage = decode(await (await employer.get(redirect.headers.get("location")!)).text());
    const formPath = cvPage.match(/href="(\/offres\/nouvelle\?[^"]+)"/)![1]!;
    expect(formPath).toBe(`/offres/nouvelle?candidat=${cv.slug}&via=${code}`);
    const form = await (await employer.get(formPath)).text();
    expect(form).toContain(`name="via" value="${code}"`);
    const fields = valid({ audience: "candidates", candidates: cv.slug, via: code });
    expect((await employer.post("/offres/nouvelle", fields)).status).toBe(302);
    const [offer] = await offersOf(fields.email);
    expect(offer!.shareLinkId).toBe(link!.id);
    // The sharer's private page tells them an employer answered through their link.
    expect(decode(await (await sharer.get(report)).text())).toContain("1 offre d'emploi envoyée par un employeur arrivé par votre lien");

    // A link to someone else's CV cannot claim an offer addressed to Lina; any link counts for a public offer.
    const otherCv = await aPublishedCv(app.db);
    const otherCode = decode(await (await visitor(app).post(`/cv/${otherCv.cv.slug}/mon-lien`, {}, { csrf: false })).text()).match(/\/s\/([a-z2-9]{8})/)![1]!;
    const misattributed = valid({ audience: "candidates", candidates: cv.slug, via: otherCode });
    expect((await visitor(app).post("/offres/nouvelle", misattributed)).status).toBe(302);
    expect((await offersOf(misattributed.email))[0]!.shareLinkId).toBeNull();
    const publicOffer = valid({ via: otherCode });
    expect((await visitor(app).post("/offres/nouvelle", publicOffer)).status).toBe(302);
    expect((await offersOf(publicOffer.email))[0]!.shareLinkId).not.toBeNull();
  });

  it("refuses a web address in the fields repeated in the receipt e-mail, so nobody can mail a link in our name", async () => {
    const before = await offerCount();
    for (const field of ["company", "recruiterName", "jobTitle", "address-0"]) {
      const fields = valid({ [field]: "Sécurité : https://evil.example/login" });
      const response = await visitor(app).post("/offres/nouvelle", fields);
      expect(response.status, field).toBe(400);
      expect(decode(await response.text()), field).toContain("Pas d'adresse web dans ce champ");
      expect(await app.db.select().from(outbox).where(eq(outbox.toAddress, fields.email.toLowerCase()))).toHaveLength(0);
    }
    expect(await offerCount()).toBe(before);
  });

  it("holds a form whose stamp is more than 12 hours old (kept and replayed by a script), and e-mails nobody", async () => {
    const fields = valid({ stamp: signFormStamp(secret, Date.now() - 13 * 3600_000) });
    expect((await visitor(app).post("/offres/nouvelle", fields)).status).toBe(302);
    const [offer] = await offersOf(fields.email);
    expect(offer).toMatchObject({ status: "held", heldReason: "stale_stamp" });
    expect(await app.db.select().from(outbox).where(eq(outbox.toAddress, fields.email.toLowerCase()))).toHaveLength(0);
  });

  it("counts a flood from one IPv6 subscriber (a whole /64) as one sender", async () => {
    const prefix = `2001:db8:${unique().slice(0, 4).replace(/[^0-9a-f]/g, "a")}:1`;
    const emails: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const fields = valid();
      emails.push(fields.email);
      expect((await visitor(app, `${prefix}::${i.toString(16)}`).post("/offres/nouvelle", fields)).status).toBe(302);
    }
    const statuses = (await app.db.select({ status: offers.status }).from(offers).where(inArray(offers.recruiterEmail, emails.map((e) => e.toLowerCase())))).map((o) => o.status);
    expect(statuses.filter((status) => status === "held")).toHaveLength(1);
  });
});
