import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, anOffer, aStaffMember } from "../../app/db/factories";
import { candidateOffers, followUpLog, offers, outbox } from "../../app/db/schema";
import { deliver } from "../../app/domain/notifications/notify";
import { dispatchValidatedOffer } from "../../app/domain/offers/dispatch";
import { signOneClick } from "../../app/domain/offers/one-click";
import { sendDueReminders } from "../../app/domain/offers/reminders";
import type { CapturedEmail } from "../support/smtp";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

const DAY = 86_400_000;

/** The link that follows a sentence of the e-mail ("Dites-le en un clic :" then the link). */
const linkAfter = (mail: CapturedEmail, sentence: string) => {
  const link = mail.text.match(new RegExp(`${sentence}\\s*\\n(https?://\\S+)`))?.[1];
  if (!link) throw new Error(`No link after « ${sentence} » in: ${mail.text}`);
  return link;
};

/**
 * The candidate answers an offer from the e-mail in one click, without signing in: opening the
 * link changes nothing, the button moves the follow-up (logged, contact revealed); a link that was
 * tampered with, expired, or made for someone or something else changes nothing.
 */
describe("one-click answers from a candidate's offer e-mails", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  const followUp = async (candidateId: string, offerId: string) =>
    (await app.db.select().from(candidateOffers).where(and(eq(candidateOffers.candidateId, candidateId), eq(candidateOffers.offerId, offerId))))[0]!;
  const logOf = (candidateId: string, offerId: string) =>
    app.db
      .select()
      .from(followUpLog)
      .where(and(eq(followUpLog.candidateId, candidateId), eq(followUpLog.offerId, offerId)))
      .orderBy(asc(followUpLog.id));
  const sign = (claims: Parameters<typeof signOneClick>[1]) => `/suivi-offre/${signOneClick(app.services.sessionSecret, claims)}`;

  /** An addressed offer validated now: the dispatch e-mails go out on the real SMTP listener. */
  async function aDispatchedOffer(overrides: Parameters<typeof anOffer>[1] = {}) {
    const people = await aCandidateWithCoach(app.db, { candidate: { firstName: "Yanis", lastName: "Ferhat" } });
    const pending = await anOffer(app.db, { status: "pending", ...overrides }, { candidateIds: [people.candidate.id] });
    const [offer] = await app.db.update(offers).set({ status: "validated" }).where(eq(offers.id, pending.id)).returning();
    const ids = await app.db.transaction((tx) => dispatchValidatedOffer(tx, app.url, app.services.sessionSecret, offer!));
    await deliver(app.services.queue, ids);
    const mail = await app.smtp.waitFor(people.candidate.email, { subject: new RegExp(offer!.jobTitle) });
    return { ...people, offer: offer!, mail };
  }

  it("links the candidate's dispatch e-mail to a page that changes nothing until the button, then notes « contacté » once", async () => {
    const { candidate, coach, offer, mail } = await aDispatchedOffer({ company: "Menuiserie Le Goff", jobTitle: "Aide menuisier", recruiterName: "Gwenaël Le Goff" });
    expect(mail.text).toContain("Vous avez contacté le recruteur ? Dites-le en un clic :");
    // The space link stays, for everything else.
    expect(mail.text).toContain(`${app.url}/espace/offres/${candidate.id}/${offer.id}`);
    const contacted = linkAfter(mail, "Dites-le en un clic :");
    expect(contacted).toMatch(new RegExp(`^${app.url}/suivi-offre/[A-Za-z0-9_-]{50}\\.[A-Za-z0-9_-]{22}$`));
    expect(linkAfter(mail, "Voyez le contact du recruteur en un clic :")).not.toBe(contacted);
    // The coach's copy keeps the space link only: the one-click answer is the candidate's.
    const coachMail = await app.smtp.waitFor(coach.email, { subject: /Aide menuisier/ });
    expect(coachMail.text).not.toContain("/suivi-offre/");

    // A mail scanner (or the candidate) opening the link: the offer and one button, nothing changed.
    const phone = new HttpClient(app.url);
    const opened = await phone.get(contacted);
    expect(opened.status).toBe(200);
    expect(opened.headers.get("cache-control")).toContain("no-store");
    // The last policy of the list is the one browsers apply: no token leaks to another site.
    expect(opened.headers.get("referrer-policy")).toMatch(/(^|,\s*)same-origin$/);
    const page = await opened.text();
    expect(page).toContain("Offre « Aide menuisier » chez Menuiserie Le Goff");
    expect(page).toContain("Oui, j&#x27;ai contacté le recruteur");
    expect(page).not.toContain("Gwenaël Le Goff");
    expect(page).not.toContain(offer.recruiterEmail);
    await phone.get(contacted);
    expect(await followUp(candidate.id, offer.id)).toMatchObject({ status: "to_process", contactRevealedAt: null });
    expect(await logOf(candidate.id, offer.id)).toEqual([]);

    // Without the page's token, nothing happens.
    expect((await phone.post(contacted, { csrf: "" })).status).toBe(403);
    expect(await followUp(candidate.id, offer.id)).toMatchObject({ status: "to_process" });

    const answered = await phone.post(contacted, {});
    expect(answered.status).toBe(200);
    const done = await answered.text();
    expect(done).toContain("C&#x27;est noté, merci !");
    expect(done).toContain("Gwenaël Le Goff");
    expect(done).toContain(`mailto:${offer.recruiterEmail}`);
    expect(done).toContain(offer.recruiterPhone);
    expect(done).toContain(`/connexion?retour=${encodeURIComponent(`/espace/offres/${candidate.id}/${offer.id}`)}`);
    const after = await followUp(candidate.id, offer.id);
    expect(after.status).toBe("contacted");
    expect(after.contactRevealedAt).not.toBeNull();
    const log = await logOf(candidate.id, offer.id);
    expect(log.map((l) => [l.change, l.fromValue, l.toValue, l.actorId])).toEqual([
      ["status", "to_process", "contacted", candidate.id],
      ["contact_revealed", null, null, candidate.id],
    ]);

    // A second tap (or the back button and a re-post) is harmless and says so.
    const again = await phone.post(contacted, {});
    expect(again.status).toBe(200);
    const againPage = await again.text();
    expect(againPage).toContain("C&#x27;est déjà noté");
    expect(againPage).toContain(offer.recruiterEmail);
    expect(await logOf(candidate.id, offer.id)).toHaveLength(2);
    expect((await followUp(candidate.id, offer.id)).statusChangedAt).toEqual(after.statusChangedAt);
  });

  it("turns away a tampered, expired, foreign or someone else's link kindly, and changes nothing", async () => {
    const { candidate, offer, mail } = await aDispatchedOffer();
    const contacted = linkAfter(mail, "Dites-le en un clic :");
    const token = contacted.split("/suivi-offre/")[1]!;
    const { candidate: other } = await aCandidateWithCoach(app.db);
    const otherOffer = await anOffer(app.db, {}, { candidateIds: [other.id] });
    const swap = (text: string, at: number) => text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);

    const refused: [string, string, number, string][] = [
      ["signature changed", `/suivi-offre/${swap(token, token.length - 3)}`, 404, "Lien introuvable"],
      ["payload changed", `/suivi-offre/${swap(token, 5)}`, 404, "Lien introuvable"],
      ["cut short", `/suivi-offre/${token.slice(0, -1)}`, 404, "Lien introuvable"],
      ["not a token", "/suivi-offre/pas-un-jeton", 404, "Lien introuvable"],
      [
        "signed with another secret",
        `/suivi-offre/${signOneClick("another-secret-another-secret-42", { candidateId: candidate.id, offerId: offer.id, action: "contacted" })}`,
        404,
        "Lien introuvable",
      ],
      ["expired", sign({ candidateId: candidate.id, offerId: offer.id, action: "contacted", expiresAt: new Date(Date.now() - 60_000) }), 410, "Ce lien a expiré"],
      // Made for an offer this candidate does not follow, and for another candidate's offer.
      ["another offer", sign({ candidateId: candidate.id, offerId: otherOffer.id, action: "contacted" }), 404, "Lien introuvable"],
      ["another candidate", sign({ candidateId: other.id, offerId: offer.id, action: "contacted" }), 404, "Lien introuvable"],
    ];
    const visitor = new HttpClient(app.url);
    for (const [why, path, status, title] of refused) {
      const opened = await visitor.get(path);
      expect(opened.status, why).toBe(status);
      expect(await opened.text(), why).toContain(title);
      const posted = await visitor.post(path, {});
      expect(posted.status, why).toBe(status);
      expect(await posted.text(), why).not.toContain(offer.recruiterEmail);
    }
    expect(await followUp(candidate.id, offer.id)).toMatchObject({ status: "to_process", contactRevealedAt: null });
    expect(await followUp(other.id, otherOffer.id)).toMatchObject({ status: "to_process", contactRevealedAt: null });
    expect(await logOf(candidate.id, offer.id)).toEqual([]);
    expect(await logOf(other.id, otherOffer.id)).toEqual([]);
    // The real link still works afterwards.
    expect((await visitor.post(contacted, {})).status).toBe(200);
    expect((await followUp(candidate.id, offer.id)).status).toBe("contacted");
  });

  it("never moves a follow-up back: an old link on an offer already at « entretien » says so", async () => {
    const { candidate, offer, mail } = await aDispatchedOffer();
    await app.db.update(candidateOffers).set({ status: "interview" }).where(and(eq(candidateOffers.candidateId, candidate.id), eq(candidateOffers.offerId, offer.id)));
    const contacted = linkAfter(mail, "Dites-le en un clic :");
    const visitor = new HttpClient(app.url);
    expect(await (await visitor.get(contacted)).text()).toContain("Votre suivi a déjà avancé");
    const posted = await visitor.post(contacted, {});
    expect(posted.status).toBe(409);
    expect(await posted.text()).toContain("Connectez-vous pour voir où vous en êtes");
    expect((await followUp(candidate.id, offer.id)).status).toBe("interview");
    expect(await logOf(candidate.id, offer.id)).toEqual([]);
  });

  it("notes « pas pour moi » without showing the contact", async () => {
    const { candidate, offer } = await aDispatchedOffer();
    const notForMe = sign({ candidateId: candidate.id, offerId: offer.id, action: "not_for_me" });
    const visitor = new HttpClient(app.url);
    expect(await (await visitor.get(notForMe)).text()).toContain("Cette offre n&#x27;est pas pour moi");
    const page = await (await visitor.post(notForMe, {})).text();
    expect(page).toContain("Nous avons noté que cette offre n&#x27;est pas pour vous");
    expect(page).not.toContain(offer.recruiterEmail);
    expect(await followUp(candidate.id, offer.id)).toMatchObject({ status: "refused_before_interview", contactRevealedAt: null });
    expect((await logOf(candidate.id, offer.id)).map((l) => [l.change, l.toValue, l.actorId])).toEqual([["status", "refused_before_interview", candidate.id]]);
  });

  it("puts the links in the candidate's 5-day reminder (not the coach's), and staff see them masked in the outbox", async () => {
    const { candidate, coach } = await aCandidateWithCoach(app.db, { candidate: { firstName: "Inès" } });
    const offer = await anOffer(app.db, { jobTitle: "Agent·e d'entretien", company: "Propreté Lilas" }, { candidateIds: [candidate.id] });
    await sendDueReminders(app.services, new Date(Date.now() + 5 * DAY + 60_000));
    const reminder = await app.smtp.waitFor(candidate.email, { subject: /vous attend depuis 5 jours/ });
    expect(reminder.text).toContain(`${app.url}/espace/offres/${candidate.id}/${offer.id}`);
    const interested = linkAfter(reminder, "Voyez le contact du recruteur :");
    expect(linkAfter(reminder, "Dites-le en un clic :")).toContain("/suivi-offre/");
    const coachReminder = await app.smtp.waitFor(coach.email, { subject: /attend depuis 5 jours/ });
    expect(coachReminder.text).not.toContain("/suivi-offre/");

    // « Je suis intéressé·e »: the contact shows, the status stays « à traiter ».
    const page = await (await new HttpClient(app.url).post(interested, {})).text();
    expect(page).toContain("Vous pouvez maintenant contacter le recruteur.");
    expect(page).toContain(offer.recruiterEmail);
    const after = await followUp(candidate.id, offer.id);
    expect(after.status).toBe("to_process");
    expect(after.contactRevealedAt).not.toBeNull();
    expect((await logOf(candidate.id, offer.id)).map((l) => [l.change, l.actorId])).toEqual([
      ["interested", candidate.id],
      ["contact_revealed", candidate.id],
    ]);

    // Staff reading the outbox never get a link that acts as the candidate.
    const staffUser = await aStaffMember(app.db, { zoneId: null });
    const staff = new HttpClient(app.url);
    await staff.signIn(staffUser.email, staffUser.password!);
    const [message] = await app.db.select().from(outbox).where(and(eq(outbox.toAddress, candidate.email), eq(outbox.template, "reminder_unanswered_offer")));
    const detail = await (await staff.get(`/admin/boite-d-envoi/${message!.id}`)).text();
    expect(detail).toContain("/suivi-offre/••••••••");
    expect(detail).not.toContain(interested.split("/suivi-offre/")[1]!);
    expect(detail).toContain(`/espace/offres/${candidate.id}/${offer.id}`);
  });
});
