import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aCoach, anOffer, aPairing, aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { candidateOffers, checkIns, followUpLog, hires, offers, offerTransitions, pairings } from "../../app/db/schema";
import { randomToken, sha256 } from "../../app/domain/accounts/secrets";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * The offers of one candidate (Nadia) seen from every side nobody invited: each private page and
 * each button of the offer feature, tried by every kind of intruder. Signed-in intruders are told
 * the page does not exist (404), anonymous visitors are sent to sign in; nothing in the database
 * moves, and no answer carries the recruiter's contact, the company or the private note.
 */
describe("offers stay private", () => {
  let app: TestApp;
  let victim: Awaited<ReturnType<typeof aPublishedCv>>;
  let other: Awaited<ReturnType<typeof aCandidateWithCoach>>;
  let offer: Awaited<ReturnType<typeof anOffer>>;
  let publicOffer: Awaited<ReturnType<typeof anOffer>>;
  let theirs: Awaited<ReturnType<typeof anOffer>>;
  let hidden: Record<"pending" | "held" | "refused", Awaited<ReturnType<typeof anOffer>>>;
  let publicHeld: Awaited<ReturnType<typeof anOffer>>;
  let needTalkId: string;
  const tokens = { victimCandidate: randomToken(), victimEmployer: randomToken(), otherCandidate: randomToken() };
  const NOTE = "Note privée : entretien jeudi, ne pas parler du salaire.";
  const EMPLOYER_EMAIL = "rh.confidentiel@confiserie-victime.test";
  const client: Record<"anonymous" | "candidate" | "coach" | "otherCandidate" | "otherCoach" | "formerCoach" | "staff", HttpClient> = {} as never;

  const signedIn = async (person: { email: string; password: string | null }) => {
    const c = new HttpClient(app.url);
    await c.signIn(person.email, person.password!);
    return c;
  };

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    const zoneId = (await aZone(app.db)).id;
    victim = await aPublishedCv(app.db, { zoneId, candidate: { firstName: "Nadia", lastName: "Kerbouche" } });
    other = await aCandidateWithCoach(app.db, { zoneId });
    const staff = await aStaffMember(app.db, { zoneId });

    // A coach who followed Nadia once, before her current coach came back.
    const former = await aCoach(app.db, { zoneId });
    const endOpenPairings = () => app.db.update(pairings).set({ endedAt: new Date() }).where(and(eq(pairings.candidateId, victim.candidate.id), isNull(pairings.endedAt)));
    await endOpenPairings();
    await aPairing(app.db, victim.candidate.id, former.id);
    await endOpenPairings();
    await aPairing(app.db, victim.candidate.id, victim.coach.id);

    offer = await anOffer(app.db, { company: "Confiserie Victime", recruiterName: "Odile Secret", recruiterPhone: "+33611111111" }, { candidateIds: [victim.candidate.id] });
    await app.db.update(candidateOffers).set({ note: NOTE }).where(eq(candidateOffers.offerId, offer.id));
    // A public offer that fits Nadia's CV (hospitality in 75): "je suis intéressé·e" would add it to her list.
    publicOffer = await anOffer(app.db, { company: "Bistrot Public", businessLine: "hospitality", department: "75", recruiterPhone: "+33622222222" });
    theirs = await anOffer(app.db, { company: "Garage Autrui", recruiterPhone: "+33633333333" }, { candidateIds: [other.candidate.id] });
    hidden = {
      pending: await anOffer(app.db, { status: "pending", company: "Atelier En Attente", recruiterPhone: "+33644444444" }, { candidateIds: [victim.candidate.id] }),
      held: await anOffer(app.db, { status: "held", heldReason: "honeypot", company: "Spam Retenu", recruiterPhone: "+33655555555" }, { candidateIds: [victim.candidate.id] }),
      refused: await anOffer(app.db, { status: "refused", refusedReason: "hors sujet", company: "Offre Refusée", recruiterPhone: "+33666666666" }, { candidateIds: [victim.candidate.id] }),
    };
    publicHeld = await anOffer(app.db, { status: "held", heldReason: "too_fast", company: "Publique Retenue", businessLine: "hospitality", department: "75", recruiterPhone: "+33677777777" });

    // Nadia was hired once (another job): her check-ins, one asking for a talk; and one of someone else's.
    const [hire] = await app.db.insert(hires).values({ candidateId: victim.candidate.id, contractType: "cdi", startDate: "2026-09-01", employerName: "Confiserie Victime", employerEmail: EMPLOYER_EMAIL }).returning();
    const [otherHire] = await app.db.insert(hires).values({ candidateId: other.candidate.id, contractType: "cdi", startDate: "2026-09-01", employerName: "Garage Autrui" }).returning();
    const [talk] = await app.db
      .insert(checkIns)
      .values([
        { hireId: hire!.id, months: 1, party: "candidate", tokenHash: sha256(tokens.victimCandidate), answer: "need_talk", answeredAt: new Date() },
        { hireId: hire!.id, months: 1, party: "employer", tokenHash: sha256(tokens.victimEmployer) },
        { hireId: otherHire!.id, months: 1, party: "candidate", tokenHash: sha256(tokens.otherCandidate) },
      ])
      .returning();
    needTalkId = talk!.id;

    client.anonymous = new HttpClient(app.url);
    client.candidate = await signedIn(victim.candidate);
    client.coach = await signedIn(victim.coach);
    client.otherCandidate = await signedIn(other.candidate);
    client.otherCoach = await signedIn(other.coach);
    client.formerCoach = await signedIn(former);
    client.staff = await signedIn(staff);
  });
  afterAll(() => app?.close());

  /** Everything the offer feature stores: an intruder's visit must leave all of it as it was. */
  const snapshot = async () => ({
    offers: await app.db.select().from(offers).orderBy(offers.id),
    candidateOffers: await app.db.select().from(candidateOffers).orderBy(candidateOffers.offerId, candidateOffers.candidateId),
    followUpLog: await app.db.select().from(followUpLog).orderBy(followUpLog.id),
    hires: await app.db.select().from(hires).orderBy(hires.id),
    checkIns: await app.db.select().from(checkIns).orderBy(checkIns.id),
    offerTransitions: await app.db.select().from(offerTransitions).orderBy(offerTransitions.id),
  });

  /** What no intruder may read: the recruiters' contacts, the companies, the note, the employer's address. */
  const secrets = () => [
    ...[offer, publicOffer, theirs, publicHeld, ...Object.values(hidden)].flatMap((o) => [o.recruiterEmail, o.recruiterPhone!, o.company]),
    "Odile Secret",
    NOTE,
    EMPLOYER_EMAIL,
  ];

  /**
   * Signed-in intruders get a 404, anonymous ones the sign-in page; the answer gives nothing away.
   * `.data` (the loader data a client-side navigation fetches) says "go and sign in" in its own way.
   */
  async function expectTurnedAway(response: Response, anonymous: boolean, label: string, isData = false) {
    const body = await response.text();
    if (anonymous && isData) {
      expect(response.status, label).toBe(202);
      expect(body, label).toMatch(/"SingleFetchRedirect".*"\/connexion\?retour=/);
    } else if (anonymous) {
      expect(response.status, label).toBe(302);
      expect(response.headers.get("location"), label).toMatch(/^\/connexion\?retour=/);
    } else {
      expect(response.status, label).toBe(404);
    }
    for (const secret of secrets()) expect(body, `${label} leaks ${secret}`).not.toContain(secret);
  }
  const asData = (path: string) => path.replace(/(\?|$)/, ".data$1");

  const base = () => `/espace/offres/${victim.candidate.id}`;
  const spacePages = () => [base(), `${base()}?archivees=1&favoris=1`, `${base()}/nouvelle`, `${base()}/${offer.id}`, `${base()}/${offer.id}/embauche`];
  /** Every button of the candidate's space, with what it would do if it were let through. */
  const spacePosts = (): [string, Record<string, string>][] => [
    [base(), { intent: "interested", offerId: offer.id }],
    [base(), { intent: "interested", offerId: publicOffer.id }],
    [base(), { intent: "nimporte" }],
    [`${base()}/${offer.id}`, { intent: "status", status: "contacted" }],
    [`${base()}/${offer.id}`, { intent: "interested" }],
    [`${base()}/${offer.id}`, { intent: "bookmark", value: "true" }],
    [`${base()}/${offer.id}`, { intent: "archive", value: "true" }],
    [`${base()}/${offer.id}`, { intent: "note", note: "Je lis et j'efface vos notes" }],
    [`${base()}/${offer.id}`, { intent: "nimporte" }],
    [`${base()}/${publicOffer.id}`, { intent: "interested" }],
    [`${base()}/nouvelle`, { origin: "internet", company: "Intrus SARL", jobTitle: "Poste", contractType: "cdi", department: "75" }],
    [`${base()}/${offer.id}/embauche`, { contractType: "cdi", startDate: "2027-01-04", closeOthers: "on" }],
  ];

  const intruders = ["anonymous", "otherCandidate", "otherCoach", "formerCoach"] as const;

  describe.each(intruders)("in a candidate's space, %s", (who) => {
    it("reads nothing and changes nothing, page by page and button by button", async () => {
      const before = await snapshot();
      for (const path of spacePages()) {
        await expectTurnedAway(await client[who].get(path), who === "anonymous", `${who} GET ${path}`);
        await expectTurnedAway(await client[who].get(asData(path)), who === "anonymous", `${who} GET ${asData(path)}`, true);
      }
      for (const [path, fields] of spacePosts()) await expectTurnedAway(await client[who].post(path, fields), who === "anonymous", `${who} POST ${path} ${fields.intent ?? ""}`);
      expect(await snapshot()).toEqual(before);
    });
  });

  /**
   * Nadia and her coach, in Nadia's own space, naming an offer that is not hers to read: another
   * candidate's, or one staff have not let through (pending, held, refused).
   */
  describe.each(["candidate", "coach"] as const)("the candidate's own %s", (who) => {
    const foreignOffers = () => ({ "another candidate's": theirs, ...hidden, "a held public": publicHeld });

    it("cannot reach another candidate's offer, nor one staff have not validated, through their own candidate id", async () => {
      const before = await snapshot();
      for (const [kind, foreign] of Object.entries(foreignOffers())) {
        const page = `${base()}/${foreign.id}`;
        for (const path of [page, `${page}/embauche`, asData(page), asData(`${page}/embauche`)]) {
          const response = await client[who].get(path);
          expect(response.status, `${who} GET ${kind} ${path}`).toBe(404);
          const body = await response.text();
          for (const secret of [foreign.recruiterEmail, foreign.recruiterPhone!, foreign.company]) expect(body, `${who} GET ${kind} leaks ${secret}`).not.toContain(secret);
        }
        const posts: [string, Record<string, string>][] = [
          [base(), { intent: "interested", offerId: foreign.id }],
          [page, { intent: "status", status: "contacted" }],
          [page, { intent: "interested" }],
          [page, { intent: "bookmark", value: "true" }],
          [page, { intent: "archive", value: "true" }],
          [page, { intent: "note", note: "Pas à moi" }],
          [`${page}/embauche`, { contractType: "cdi", startDate: "2027-01-04", closeOthers: "on" }],
        ];
        for (const [path, fields] of posts) {
          const response = await client[who].post(path, fields);
          expect(response.status, `${who} POST ${kind} ${path} ${fields.intent ?? "hire"}`).toBe(404);
          const body = await response.text();
          for (const secret of [foreign.recruiterEmail, foreign.recruiterPhone!, foreign.company]) expect(body, `${who} POST ${kind} leaks ${secret}`).not.toContain(secret);
        }
      }
      // Their list shows none of them either.
      const list = await (await client[who].get(`${base()}?archivees=0`)).text();
      for (const foreign of Object.values(foreignOffers())) expect(list, `${who} list`).not.toContain(foreign.company);
      expect(await snapshot()).toEqual(before);
    });

    it("does not see the recruiter's contact before the candidate engages; staff do", async () => {
      const contact = [offer.recruiterEmail, offer.recruiterPhone!, "Odile Secret"];
      for (const path of [base(), `${base()}/${offer.id}`, `${base()}/${offer.id}/embauche`]) {
        for (const url of [path, asData(path)]) {
          const response = await client[who].get(url);
          expect(response.status, `${who} GET ${url}`).toBe(200);
          const body = await response.text();
          for (const secret of contact) expect(body, `${who} GET ${url} shows ${secret}`).not.toContain(secret);
        }
      }
      // A fitting public offer is listed for Nadia without its recruiter's contact.
      const list = await (await client[who].get(base())).text();
      expect(list).toContain("Bistrot Public");
      for (const secret of [publicOffer.recruiterEmail, publicOffer.recruiterPhone!]) expect(list).not.toContain(secret);
      expect(await (await client.staff.get(`${base()}/${offer.id}`)).text()).toContain(offer.recruiterEmail);
      expect((await app.db.select().from(candidateOffers).where(eq(candidateOffers.offerId, offer.id)))[0]!.contactRevealedAt).toBeNull();
    });
  });

  const staffPages = () => [
    "/admin/offres",
    "/admin/offres?status=held&zone=all",
    `/admin/offres/${offer.id}`,
    `/admin/offres/${hidden.pending.id}`,
    `/admin/offres/${hidden.held.id}`,
    "/admin/suivis",
    "/admin/suivis?zone=all",
  ];
  /** Every staff button of the feature, aimed at offers and a check-in it would really change. */
  const staffPosts = (): [string, Record<string, string>][] => [
    ...["validate", "refuse", "archive", "restore"].map((transition) => ["/admin/offres", { ids: hidden.pending.id, transition, comment: "non" }] as [string, Record<string, string>]),
    ...["validate", "refuse", "archive", "restore", "duplicate", "recommend", "edit", "nimporte"].flatMap((intent) =>
      [hidden.held.id, publicOffer.id].map(
        (id) => [`/admin/offres/${id}`, { intent, comment: "non", candidateIds: victim.candidate.id, jobTitle: "Piraté", company: "Piraté" }] as [string, Record<string, string>],
      ),
    ),
    ["/admin/suivis", { checkInId: needTalkId }],
  ];

  describe.each(["anonymous", "candidate", "coach", "otherCandidate", "otherCoach", "formerCoach"] as const)("on staff pages, %s", (who) => {
    it("reads nothing and changes nothing", async () => {
      const before = await snapshot();
      for (const path of staffPages()) {
        await expectTurnedAway(await client[who].get(path), who === "anonymous", `${who} GET ${path}`);
        await expectTurnedAway(await client[who].get(asData(path)), who === "anonymous", `${who} GET ${asData(path)}`, true);
      }
      for (const [path, fields] of staffPosts()) await expectTurnedAway(await client[who].post(path, fields), who === "anonymous", `${who} POST ${path} ${fields.intent ?? fields.transition ?? ""}`);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe("check-in links", () => {
    const link = (token: string) => `/suivi-embauche/${token}`;
    const answerOf = async (token: string) => (await app.db.select().from(checkIns).where(eq(checkIns.tokenHash, sha256(token))))[0]!;

    it("say only what the person answering needs, whoever opens them", async () => {
      for (const who of ["anonymous", "otherCandidate", "staff"] as const) {
        const response = await client[who].get(`${link(tokens.victimEmployer)}?reponse=fine`);
        expect(response.status).toBe(200);
        expect(response.headers.get("cache-control")).toContain("no-store");
        const body = await response.text();
        for (const secret of [EMPLOYER_EMAIL, victim.candidate.lastName, victim.candidate.email, offer.recruiterEmail]) expect(body, `${who} check-in leaks ${secret}`).not.toContain(secret);
      }
    });

    it("work once, and only for their own check-in", async () => {
      const before = await snapshot();
      // Not a token: the stored hash, a token one character off, the token of an answered check-in.
      const forged = [sha256(tokens.victimEmployer), `${tokens.victimEmployer.slice(0, -1)}${tokens.victimEmployer.endsWith("A") ? "B" : "A"}`];
      for (const token of forged) {
        expect((await client.anonymous.get(link(token))).status, token).toBe(404);
        expect((await client.anonymous.post(link(token), { answer: "need_talk" })).status, token).toBe(404);
      }
      expect((await client.anonymous.post(link(tokens.victimCandidate), { answer: "fine" })).status).toBe(410);
      expect(await snapshot()).toEqual(before);

      // Nadia's employer answers: that one check-in is recorded, nobody else's.
      const answered = await client.anonymous.post(link(tokens.victimEmployer), { answer: "need_talk" });
      expect(answered.status).toBe(302);
      expect(await answerOf(tokens.victimEmployer)).toMatchObject({ answer: "need_talk" });
      expect(await answerOf(tokens.otherCandidate)).toMatchObject({ answer: null, answeredAt: null });
      expect(await answerOf(tokens.victimCandidate)).toMatchObject({ answer: "need_talk", handledAt: null });
      // A second use, even signed in, changes nothing.
      const after = await snapshot();
      for (const who of ["anonymous", "otherCandidate", "staff"] as const) {
        const again = await client[who].post(link(tokens.victimEmployer), { answer: "fine" });
        expect(again.status, who).toBe(410);
      }
      expect(await snapshot()).toEqual(after);
    });
  });

  // Last, as it changes things: the very pages and buttons above work for the people they belong
  // to, so each 404 above is a refusal, not a broken path or a mistyped field.
  it("serves the same pages and buttons to the candidate and to staff", async () => {
    for (const path of spacePages()) {
      expect((await client.candidate.get(path)).status, path).toBe(200);
      expect((await client.candidate.get(asData(path))).status, `${path} data`).toBe(200);
    }
    for (const [path, fields] of spacePosts()) {
      expect((await client.candidate.post(path, fields)).status, `POST ${path} ${fields.intent ?? ""}`).toBe(fields.intent === "nimporte" ? 400 : 302);
    }
    expect((await app.db.select().from(hires).where(eq(hires.offerId, offer.id))).length).toBe(1);
    for (const path of staffPages()) {
      expect((await client.staff.get(path)).status, path).toBe(200);
      expect((await client.staff.get(asData(path))).status, `${path} data`).toBe(200);
    }
    for (const [path, fields] of staffPosts()) {
      const response = await client.staff.post(path, fields);
      expect([200, 302, 400, 409], `staff POST ${path} ${fields.intent ?? fields.transition ?? ""}`).toContain(response.status);
    }
    expect((await app.db.select().from(checkIns).where(eq(checkIns.id, needTalkId)))[0]!.handledAt).not.toBeNull();
  });
});
