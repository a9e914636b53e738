import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aCoach, anOffer, aPairing, aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { candidateOffers, checkIns, cvs, followUpLog, hires, offers, pairings } from "../../app/db/schema";
import { addMonths } from "../../app/domain/offers/calendar";
import { sendDueCheckIns } from "../../app/domain/offers/check-ins";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * A candidate and their coach follow the offers sent to the candidate: each sees what is new,
 * the recruiter's contact appears once they engage, every change is logged, and a hire marks the
 * CV employed. Nobody else may read or change any of it.
 */
describe("candidates and coaches follow offers up to a hire", () => {
  let app: TestApp;
  let zoneId: string;
  let published: Awaited<ReturnType<typeof aPublishedCv>>;
  let other: Awaited<ReturnType<typeof aCandidateWithCoach>>;
  let strangerCoach: Awaited<ReturnType<typeof aCoach>>;
  const client: Record<"anonymous" | "candidate" | "coach" | "otherCandidate" | "otherCoach" | "strangerCoach" | "staff", HttpClient> = {} as never;

  const signedIn = async (person: { email: string; password: string | null }) => {
    const c = new HttpClient(app.url);
    await c.signIn(person.email, person.password!);
    return c;
  };

  beforeAll(async () => {
    app = await startTestApp();
    zoneId = (await aZone(app.db)).id;
    published = await aPublishedCv(app.db, { zoneId, candidate: { firstName: "Nadia", lastName: "Kerbouche" } });
    other = await aCandidateWithCoach(app.db, { zoneId });
    strangerCoach = await aCoach(app.db, { zoneId });
    const staff = await aStaffMember(app.db, { zoneId });
    client.anonymous = new HttpClient(app.url);
    client.candidate = await signedIn(published.candidate);
    client.coach = await signedIn(published.coach);
    client.otherCandidate = await signedIn(other.candidate);
    client.otherCoach = await signedIn(other.coach);
    client.strangerCoach = await signedIn(strangerCoach);
    client.staff = await signedIn(staff);
  });
  afterAll(() => app.close());

  const list = () => `/espace/offres/${published.candidate.id}`;
  const page = (offerId: string) => `${list()}/${offerId}`;
  const followUp = async (offerId: string, candidateId = published.candidate.id) =>
    (await app.db.select().from(candidateOffers).where(and(eq(candidateOffers.offerId, offerId), eq(candidateOffers.candidateId, candidateId))))[0]!;
  const logOf = async (offerId: string) =>
    (await app.db.select().from(followUpLog).where(and(eq(followUpLog.offerId, offerId), eq(followUpLog.candidateId, published.candidate.id))).orderBy(followUpLog.id)).map(
      (l) => `${l.change}:${l.fromValue ?? ""}>${l.toValue ?? ""}`,
    );

  it("keeps a candidate's offers, statuses and notes from anyone but the candidate, their coach and staff", async () => {
    const offer = await anOffer(app.db, { company: "Fromagerie Secrète" }, { candidateIds: [published.candidate.id] });
    const before = await followUp(offer.id);
    const posts: Record<string, string>[] = [
      { intent: "status", status: "contacted" },
      { intent: "interested" },
      { intent: "bookmark", value: "true" },
      { intent: "archive", value: "true" },
      { intent: "note", note: "Je lis vos notes" },
      { intent: "nimporte" },
    ];
    for (const who of ["otherCandidate", "otherCoach", "strangerCoach"] as const) {
      for (const path of [list(), page(offer.id), `${page(offer.id)}/embauche`, `${list()}/nouvelle`, `${list()}?archivees=1`]) {
        const response = await client[who].get(path);
        expect(response.status, `${who} GET ${path}`).toBe(404);
        expect(await response.text()).not.toContain("Fromagerie Secrète");
      }
      for (const fields of posts) expect((await client[who].post(page(offer.id), fields)).status, `${who} ${fields.intent}`).toBe(404);
      expect((await client[who].post(list(), { intent: "interested", offerId: offer.id })).status).toBe(404);
      expect((await client[who].post(`${page(offer.id)}/embauche`, { contractType: "cdi", startDate: "2027-01-04" })).status).toBe(404);
      expect((await client[who].post(`${list()}/nouvelle`, { origin: "internet", company: "Intrus", jobTitle: "Poste", contractType: "cdi", department: "75" })).status).toBe(404);
    }
    // Anonymous visitors are sent to sign in, and their posts change nothing either.
    for (const path of [list(), page(offer.id), `${page(offer.id)}/embauche`, `${list()}/nouvelle`]) {
      const response = await client.anonymous.get(path);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(`/connexion?retour=${encodeURIComponent(path)}`);
    }
    expect((await client.anonymous.post(page(offer.id), { intent: "status", status: "contacted" })).status).toBe(302);
    expect(await followUp(offer.id)).toEqual(before);
    expect(await logOf(offer.id)).toEqual([]);
    expect((await app.db.select().from(hires).where(eq(hires.candidateId, published.candidate.id))).length).toBe(0);
    expect((await app.db.select().from(offers).where(eq(offers.company, "Intrus"))).length).toBe(0);
    // The candidate themself, without the form's token (a forged post), changes nothing either (showing them the page marks it seen, nothing else).
    for (const csrf of ["", "un-jeton-invente"]) {
      expect((await client.candidate.post(page(offer.id), { intent: "status", status: "contacted", csrf })).status).toBe(403);
      expect((await client.candidate.post(`${page(offer.id)}/embauche`, { contractType: "cdi", startDate: "2027-01-04", csrf })).status).toBe(403);
      expect((await client.candidate.post(`${list()}/nouvelle`, { origin: "internet", company: "Intrus", jobTitle: "Poste", contractType: "cdi", department: "75", csrf })).status).toBe(403);
    }
    expect(await followUp(offer.id)).toMatchObject({ status: "to_process", contactRevealedAt: null });
    expect(await logOf(offer.id)).toEqual([]);
    expect((await app.db.select().from(offers).where(eq(offers.company, "Intrus"))).length).toBe(0);

    // A coach whose pairing ended loses access at once (the usual coach comes back after).
    const endPairings = () => app.db.update(pairings).set({ endedAt: new Date() }).where(eq(pairings.candidateId, published.candidate.id));
    await endPairings();
    const formerCoach = await aCoach(app.db, { zoneId });
    await aPairing(app.db, published.candidate.id, formerCoach.id);
    const former = await signedIn(formerCoach);
    expect((await former.get(list())).status).toBe(200);
    await endPairings();
    await aPairing(app.db, published.candidate.id, published.coach.id);
    expect((await former.get(list())).status).toBe(404);
    expect((await former.post(page(offer.id), { intent: "note", note: "Encore moi" })).status).toBe(404);

    // Staff may, and see the recruiter's contact even before the candidate engaged.
    const staffView = await (await client.staff.get(page(offer.id))).text();
    expect(staffView).toContain("Fromagerie Secrète");
    expect(staffView).toContain(offer.recruiterEmail);
    // A candidate id that is not a candidate, or not an id, is simply not found.
    expect((await client.staff.get(`/espace/offres/${published.coach.id}`)).status).toBe(404);
    expect((await client.staff.get("/espace/offres/pas-un-id")).status).toBe(404);
    expect((await client.candidate.get(`${list()}/pas-un-id`)).status).toBe(404);
  });

  it("shows only validated offers, new ones first, with a badge that counts down for the candidate and the coach separately", async () => {
    const { candidate, coach } = await aCandidateWithCoach(app.db, { zoneId });
    const me = await signedIn(candidate);
    const myCoach = await signedIn(coach);
    const first = await anOffer(app.db, { jobTitle: "Préparateur de commandes" }, { candidateIds: [candidate.id] });
    const second = await anOffer(app.db, { jobTitle: "Agent d'entretien" }, { candidateIds: [candidate.id] });
    for (const status of ["pending", "held", "refused"] as const) await anOffer(app.db, { status, jobTitle: `Offre ${status} invisible` }, { candidateIds: [candidate.id] });

    const space = async (c: HttpClient) => (await c.get("/espace")).text();
    expect(await space(me)).toContain("Mes offres : 2 nouvelles");
    expect(await space(myCoach)).toContain("Offres des personnes que vous accompagnez : 2 nouvelles");
    const listHtml = await (await me.get(`/espace/offres/${candidate.id}`)).text();
    expect(listHtml).toContain("<h1>Mes offres<span class=\"muted\"> — 2 nouvelles</span></h1>");
    expect(listHtml).toContain("Préparateur de commandes");
    expect(listHtml).not.toContain("invisible");
    for (const status of ["pending", "held", "refused"]) {
      const [hidden] = await app.db.select().from(offers).where(eq(offers.jobTitle, `Offre ${status} invisible`));
      expect((await me.get(`/espace/offres/${candidate.id}/${hidden!.id}`)).status).toBe(404);
      expect((await me.post(`/espace/offres/${candidate.id}/${hidden!.id}`, { intent: "interested" })).status).toBe(404);
    }

    // The candidate opens one: their badge goes down, the coach's does not.
    expect((await me.get(`/espace/offres/${candidate.id}/${first.id}`)).status).toBe(200);
    expect(await space(me)).toContain("Mes offres : 1 nouvelle");
    expect(await space(myCoach)).toContain("Offres des personnes que vous accompagnez : 2 nouvelles");
    expect(await space(myCoach)).toContain("Offres (2 nouvelles)");
    // The unseen one comes first in the list.
    const order = await (await me.get(`/espace/offres/${candidate.id}`)).text();
    expect(order.indexOf("Agent d&#x27;entretien")).toBeLessThan(order.indexOf("Préparateur de commandes"));
    // The coach opens both; the candidate opens the other: nothing new left for anyone.
    await myCoach.get(`/espace/offres/${candidate.id}/${first.id}`);
    await myCoach.get(`/espace/offres/${candidate.id}/${second.id}`);
    expect(await space(myCoach)).not.toContain("nouvelle");
    expect(await space(me)).toContain("Mes offres : 1 nouvelle");
    await me.get(`/espace/offres/${candidate.id}/${second.id}`);
    expect(await space(me)).not.toContain("nouvelle");
  });

  it("hides the recruiter's contact until the candidate contacts them, refuses odd moves in French and logs every change", async () => {
    const offer = await anOffer(app.db, { recruiterName: "Paul Ménard", recruiterPhone: "+33687654321" }, { candidateIds: [published.candidate.id] });
    const view = async (c: HttpClient) => (await c.get(page(offer.id))).text();
    let html = await view(client.candidate);
    expect(html).not.toContain(offer.recruiterEmail);
    expect(html).not.toContain("Paul Ménard");
    expect(html).toContain("Le contact du recruteur s&#x27;affiche quand");
    expect(await view(client.coach)).not.toContain(offer.recruiterEmail);

    // Straight to the interview is not a step offered: refused in French, nothing changes.
    const refused = await client.candidate.post(page(offer.id), { intent: "status", status: "interview" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Ce changement n&#x27;est pas possible depuis l&#x27;étape actuelle.");
    const bare = await client.candidate.post(page(offer.id), { intent: "status", status: "hired" });
    expect(bare.status).toBe(409);
    expect(await bare.text()).toContain("Enregistrer l&#x27;embauche");
    expect((await client.candidate.post(page(offer.id), { intent: "status", status: "promoted" })).status).toBe(400);
    expect((await followUp(offer.id)).status).toBe("to_process");
    expect((await followUp(offer.id)).contactRevealedAt).toBeNull();

    expect((await client.candidate.post(page(offer.id), { intent: "status", status: "contacted" })).headers.get("location")).toBe(`${page(offer.id)}?ok=1`);
    html = await view(client.candidate);
    expect(html).toContain("Paul Ménard");
    expect(html).toContain(`mailto:${offer.recruiterEmail}`);
    expect(html).toContain("tel:+33687654321");
    expect(await view(client.coach)).toContain(offer.recruiterEmail);

    // The coach takes it on; bookmark, note, archive and back.
    expect((await client.coach.post(page(offer.id), { intent: "status", status: "interview" })).status).toBe(302);
    await client.candidate.post(page(offer.id), { intent: "bookmark", value: "true" });
    await client.candidate.post(page(offer.id), { intent: "note", note: "Entretien mardi 10 h, apporter le CV imprimé." });
    const tooLong = await client.candidate.post(page(offer.id), { intent: "note", note: "x".repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain("La note est trop longue : 2 000 caractères au plus.");
    await client.coach.post(page(offer.id), { intent: "archive", value: "true" });
    expect(await (await client.candidate.get(list())).text()).not.toContain(page(offer.id));
    expect(await (await client.candidate.get(`${list()}?archivees=1`)).text()).toContain(page(offer.id));
    await client.coach.post(page(offer.id), { intent: "archive", value: "false" });
    expect(await (await client.candidate.get(`${list()}?favoris=1&etape=interview`)).text()).toContain(page(offer.id));
    expect(await (await client.candidate.get(`${list()}?etape=contacted`)).text()).not.toContain(page(offer.id));

    const row = await followUp(offer.id);
    expect(row).toMatchObject({ status: "interview", bookmarked: true, archived: false, note: "Entretien mardi 10 h, apporter le CV imprimé." });
    expect(await logOf(offer.id)).toEqual([
      "status:to_process>contacted",
      "contact_revealed:>",
      "status:contacted>interview",
      "bookmark:false>true",
      "note:>Entretien mardi 10 h, apporter le CV imprimé.",
      "archive:false>true",
      "archive:true>false",
    ]);
    // Staff, the candidate and the coach read the log on the offer's page.
    for (const c of [client.staff, client.candidate, client.coach]) {
      const text = await view(c);
      expect(text).toContain(`${published.candidate.firstName} ${published.candidate.lastName} : étape « À traiter » → « Contacté »`);
      expect(text).toContain(`${published.coach.firstName} ${published.coach.lastName} a archivé l&#x27;offre`);
      expect(text).toContain("Entretien mardi 10 h, apporter le CV imprimé.");
    }
  });

  it("shows the contact when the candidate says « je suis intéressé·e », without changing the step, and from a public offer that fits the CV", async () => {
    const addressed = await anOffer(app.db, {}, { candidateIds: [published.candidate.id] });
    await client.candidate.post(page(addressed.id), { intent: "interested" });
    expect(await followUp(addressed.id)).toMatchObject({ status: "to_process" });
    expect((await followUp(addressed.id)).contactRevealedAt).not.toBeNull();
    expect(await (await client.candidate.get(page(addressed.id))).text()).toContain(addressed.recruiterEmail);

    // The CV asks for hospitality in 93/75: a public hospitality offer in 75 fits it.
    const publicOffer = await anOffer(app.db, { businessLine: "hospitality", jobTitle: "Commis de cuisine au bistrot", department: "75" });
    const listHtml = await (await client.candidate.get(list())).text();
    expect(listHtml).toContain("Offres qui correspondent à votre CV");
    expect(listHtml).toContain("Commis de cuisine au bistrot");
    expect(listHtml).not.toContain(publicOffer.recruiterEmail);
    // An addressed offer of someone else is not "public": nobody else may pick it.
    const notPublic = await anOffer(app.db, {}, { candidateIds: [other.candidate.id] });
    expect((await client.candidate.post(list(), { intent: "interested", offerId: notPublic.id })).status).toBe(404);

    const interested = await client.coach.post(list(), { intent: "interested", offerId: publicOffer.id });
    expect(interested.headers.get("location")).toBe(`${page(publicOffer.id)}?ok=1`);
    expect(await followUp(publicOffer.id)).toMatchObject({ channel: "interested", status: "to_process" });
    expect(await (await client.candidate.get(page(publicOffer.id))).text()).toContain(publicOffer.recruiterEmail);
    // Once followed, it leaves the "fits your CV" section.
    const after = await (await client.candidate.get(list())).text();
    expect(after.split("Offres qui correspondent à votre CV")[1]!.split("<script")[0]).not.toContain("Commis de cuisine au bistrot");
  });

  it("adds an offer found elsewhere, with clear messages for what is missing", async () => {
    const empty = await client.candidate.post(`${list()}/nouvelle`, { origin: "", company: "", jobTitle: "", contractType: "", department: "", recruiterEmail: "pas-une-adresse", recruiterPhone: "12" });
    expect(empty.status).toBe(400);
    const text = await empty.text();
    for (const message of [
      "Dites où vous avez trouvé cette offre.",
      "Écrivez le nom de l&#x27;entreprise.",
      "Écrivez le nom du poste.",
      "Choisissez le type de contrat.",
      "Choisissez le département.",
      "Cette adresse e-mail n&#x27;est pas valide",
      "Ce numéro de téléphone n&#x27;est pas valide",
    ])
      expect(text).toContain(message);

    const added = await client.candidate.post(`${list()}/nouvelle`, {
      origin: "network",
      company: "Garage Martin",
      jobTitle: "Aide-mécanicien",
      contractType: "cdd_long",
      department: "93",
      recruiterPhone: "06 11 22 33 44",
    });
    expect(added.status).toBe(302);
    const offerId = added.headers.get("location")!.split("/").pop()!.replace("?ok=1", "");
    const [offer] = await app.db.select().from(offers).where(eq(offers.id, offerId));
    expect(offer).toMatchObject({ origin: "network", status: "validated", isPublic: false, recruiterName: "", recruiterEmail: "", recruiterPhone: "+33611223344", createdById: published.candidate.id });
    expect(await followUp(offerId)).toMatchObject({ channel: "external", status: "to_process" });
    const html = await (await client.candidate.get(page(offerId))).text();
    expect(html).toContain("Trouvée par le réseau");
    expect(html).toContain("tel:+33611223344");
    expect(await logOf(offerId)).toEqual(["added:>network"]);
    // Nobody moderates one's own find, and it goes to nobody else.
    expect(await (await client.candidate.get(list())).text()).toContain("Aide-mécanicien");
  });

  it("records a hire with its contract and dates, marks the CV employed, takes it out of the gallery and closes the other offers", async () => {
    const { candidate, coach, cv } = await aPublishedCv(app.db, { zoneId, candidate: { firstName: "Yanis", lastName: "Ferrand" } });
    const me = await signedIn(candidate);
    const myCoach = await signedIn(coach);
    const job = await anOffer(app.db, { company: "Hôtel du Port" }, { candidateIds: [candidate.id] });
    const otherOpen = await anOffer(app.db, {}, { candidateIds: [candidate.id] });
    const refusedOne = await anOffer(app.db, {}, { candidateIds: [candidate.id] });
    const hirePath = `/espace/offres/${candidate.id}/${job.id}/embauche`;
    await me.post(`/espace/offres/${candidate.id}/${refusedOne.id}`, { intent: "status", status: "refused_before_interview" });
    expect(await (await fetch(`${app.url}/candidats`)).text()).toContain(`/cv/${cv.slug}`);

    expect((await me.get(hirePath)).status).toBe(200);
    for (const [fields, message] of [
      [{ contractType: "cdd_short", startDate: "2027-01-04", endDate: "" }, "Pour un CDD, indiquez la date de fin."],
      [{ contractType: "cdd_short", startDate: "2027-01-04", endDate: "2026-12-01" }, "La date de fin doit être après la date de début."],
      [{ contractType: "cdi", startDate: "2027-01-04", endDate: "2027-06-30" }, "Un CDI n&#x27;a pas de date de fin"],
      [{ contractType: "cdi", startDate: "" }, "Indiquez la date de début."],
      [{ contractType: "astronaute", startDate: "2027-01-04" }, "Choisissez le type de contrat."],
    ] as const) {
      const response = await myCoach.post(hirePath, fields);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
    }
    // Every mistake at once: the dates are checked even when the contract is missing.
    const both = await (await myCoach.post(hirePath, { contractType: "", startDate: "2027-01-04", endDate: "2026-12-01" })).text();
    expect(both).toContain("Choisissez le type de contrat.");
    expect(both).toContain("La date de fin doit être après la date de début.");
    expect((await app.db.select().from(hires).where(eq(hires.candidateId, candidate.id))).length).toBe(0);

    // The candidate records it themself (the coach's CV button is not theirs to press).
    const done = await me.post(hirePath, { contractType: "cdd_long", startDate: "2027-01-04", endDate: "2027-12-31", closeOthers: "on" });
    expect(done.headers.get("location")).toBe(`${hirePath}?ok=1`);
    expect(await (await me.get(`${hirePath}?ok=1`)).text()).toContain("Bravo ! L&#x27;embauche est enregistrée.");
    const [hire] = await app.db.select().from(hires).where(eq(hires.candidateId, candidate.id));
    expect(hire).toMatchObject({ offerId: job.id, contractType: "cdd_long", startDate: "2027-01-04", endDate: "2027-12-31", employerEmail: job.recruiterEmail, createdById: candidate.id });
    expect(await followUp(job.id, candidate.id)).toMatchObject({ status: "hired" });
    expect(await followUp(otherOpen.id, candidate.id)).toMatchObject({ archived: true, status: "to_process" });
    expect(await followUp(refusedOne.id, candidate.id)).toMatchObject({ archived: false });
    const [employed] = await app.db.select().from(cvs).where(eq(cvs.candidateId, candidate.id));
    expect(employed!.employedAt).not.toBeNull();
    expect(employed!.employedUntil).toBe("2027-12-31");
    const logs = await app.db.select().from(followUpLog).where(eq(followUpLog.candidateId, candidate.id));
    expect(logs.map((l) => `${l.offerId === job.id ? "job" : l.offerId === otherOpen.id ? "other" : "refused"}:${l.change}:${l.fromValue}>${l.toValue}`).sort()).toEqual(
      ["job:status:to_process>hired", "other:archive:false>true", "refused:status:to_process>refused_before_interview"].sort(),
    );

    const publicPage = await (await fetch(`${app.url}/cv/${cv.slug}`)).text();
    expect(publicPage).toContain("Yanis est en emploi jusqu&#x27;au 31 décembre 2027.");
    expect(await (await fetch(`${app.url}/candidats`)).text()).not.toContain(`/cv/${cv.slug}`);
    expect(await (await fetch(`${app.url}/candidats?tous=1`)).text()).toContain(`/cv/${cv.slug}`);

    // Twice is refused, and the step buttons no longer offer to leave "hired" to the pair.
    expect((await me.post(hirePath, { contractType: "cdi", startDate: "2027-01-04" })).status).toBe(409);
    expect((await me.post(`/espace/offres/${candidate.id}/${job.id}`, { intent: "status", status: "interview" })).status).toBe(409);
    expect((await app.db.select().from(hires).where(eq(hires.candidateId, candidate.id))).length).toBe(1);
  });

  it("says « a retrouvé un emploi » for a permanent contract", async () => {
    const { candidate, coach, cv } = await aPublishedCv(app.db, { zoneId, candidate: { firstName: "Inès", lastName: "Boulanger" } });
    const myCoach = await signedIn(coach);
    const job = await anOffer(app.db, {}, { candidateIds: [candidate.id] });
    const response = await myCoach.post(`/espace/offres/${candidate.id}/${job.id}/embauche`, { contractType: "cdi", startDate: "2027-02-01" });
    expect(response.status).toBe(302);
    expect(await (await fetch(`${app.url}/cv/${cv.slug}`)).text()).toContain("Inès a retrouvé un emploi !");
    expect((await app.db.select().from(hires).where(eq(hires.candidateId, candidate.id)))[0]).toMatchObject({ contractType: "cdi", endDate: null, createdById: coach.id });
  });

  it("a hire taken back by staff leaves no trace: recorded again, each check-in still goes once", async () => {
    const { candidate } = await aPublishedCv(app.db, { zoneId, candidate: { firstName: "Nora", lastName: "Belkacem" } });
    const offer = await anOffer(app.db, { company: "Fromagerie Joly" }, { candidateIds: [candidate.id] });
    const me = await signedIn(candidate);
    const offerPage = `/espace/offres/${candidate.id}/${offer.id}`;
    const hire = () => me.post(`${offerPage}/embauche`, { contractType: "cdi", startDate: "2027-01-04" });
    expect((await hire()).status).toBe(302);
    // A mistake: staff move it back to the interview; the hire and its effect on the CV go.
    expect((await client.staff.post(offerPage, { intent: "status", status: "interview" })).status).toBe(302);
    expect(await app.db.select().from(hires).where(eq(hires.candidateId, candidate.id))).toHaveLength(0);
    expect((await app.db.select().from(cvs).where(eq(cvs.candidateId, candidate.id)))[0]!.employedAt).toBeNull();

    expect((await hire()).status).toBe(302);
    const recorded = await app.db.select().from(hires).where(eq(hires.candidateId, candidate.id));
    expect(recorded).toHaveLength(1);
    await sendDueCheckIns(app.services, new Date(`${addMonths("2027-01-04", 1)}T12:00:00+01:00`));
    const sent = await app.db.select().from(checkIns).where(eq(checkIns.hireId, recorded[0]!.id));
    expect(sent.map((c) => c.party).sort()).toEqual(["candidate", "employer"]);
  });

  it("refuses a hire date no one could mean (year 0000) with a French message, and records nothing", async () => {
    const { candidate } = await aPublishedCv(app.db, { zoneId, candidate: { firstName: "Omar", lastName: "Said" } });
    const offer = await anOffer(app.db, {}, { candidateIds: [candidate.id] });
    const response = await (await signedIn(candidate)).post(`/espace/offres/${candidate.id}/${offer.id}/embauche`, { contractType: "cdi", startDate: "0000-01-01" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Cette date semble fausse");
    expect(await app.db.select().from(hires).where(eq(hires.candidateId, candidate.id))).toHaveLength(0);
  });
});

