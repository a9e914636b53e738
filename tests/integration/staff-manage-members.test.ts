import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidate, aCoach, aStaffMember, aZone } from "../../app/db/factories";
import { auditLog, outbox, pairings, users } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { linkIn } from "../support/smtp";
import { startTestApp, type TestApp } from "../support/test-app";

describe("staff create members and pairs", () => {
  let app: TestApp;
  let zoneId: string;
  let staffUser: Awaited<ReturnType<typeof aStaffMember>>;
  let staff: HttpClient;

  beforeAll(async () => {
    app = await startTestApp();
    zoneId = (await aZone(app.db, { name: `Marseille ${Date.now()}` })).id;
    // National (no zone): the members of this file live in several zones (decision 020).
    staffUser = await aStaffMember(app.db, { zoneId: null });
    staff = new HttpClient(app.url);
    await staff.signIn(staffUser.email, staffUser.password!);
  });
  afterAll(() => app.close());

  const valid = (overrides: Record<string, string> = {}) => ({
    role: "candidate",
    firstName: "Yasmina",
    lastName: "Khelifi",
    email: `yasmina.${Math.random().toString(36).slice(2)}@exemple.test`,
    zoneId,
    locale: "fr",
    coachId: "",
    ...overrides,
  });

  it("creates a candidate paired with a coach, e-mails the invitation and logs who did it", async () => {
    const coach = await aCoach(app.db, { zoneId });
    const fields = valid({ coachId: coach.id });
    const response = await staff.post("/admin/membres/nouveau", fields);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("/admin/membres?cree=");
    const [created] = await app.db.select().from(users).where(eq(users.email, fields.email));
    expect(created).toMatchObject({ role: "candidate", firstName: "Yasmina", zoneId, passwordHash: null, createdById: staffUser.id });
    const [pairing] = await app.db.select().from(pairings).where(and(eq(pairings.candidateId, created!.id), isNull(pairings.endedAt)));
    expect(pairing).toMatchObject({ coachId: coach.id, startedById: staffUser.id });
    const email = await app.smtp.waitFor(fields.email, { subject: /Votre espace LinkedOut/ });
    expect(email.text).toContain("Bonjour Yasmina");
    expect(email.text).toContain("valable 7 jours");
    expect(linkIn(email, "/mot-de-passe/")).toMatch(new RegExp(`^${app.url}/mot-de-passe/[A-Za-z0-9_-]{40,}$`));
    const log = await app.db.select().from(auditLog).where(eq(auditLog.subjectId, created!.id));
    expect(log.map((l) => [l.action, l.actorId])).toEqual(
      expect.arrayContaining([
        ["member.created", staffUser.id],
        ["pairing.started", staffUser.id],
      ]),
    );
  });

  it("writes the invitation in English when the member's language is English", async () => {
    const fields = valid({ role: "coach", firstName: "Emma", locale: "en" });
    await staff.post("/admin/membres/nouveau", fields);
    const email = await app.smtp.waitFor(fields.email);
    expect(email.subject).toBe("Your LinkedOut space is ready");
    expect(email.text).toContain("Hello Emma");
  });

  it("refuses bad input with a French message per field and creates nothing", async () => {
    const taken = await aCoach(app.db, { zoneId });
    const cases: [Record<string, string>, string, string][] = [
      [valid({ firstName: "" }), "firstName", "Ce champ est obligatoire."],
      [valid({ lastName: "   " }), "lastName", "Ce champ est obligatoire."],
      [valid({ firstName: "x".repeat(61) }), "firstName", "Ce texte est trop long"],
      [valid({ lastName: "<script>alert('x')</script>" }), "lastName", "Les balises HTML ne sont pas acceptées."],
      [valid({ email: "pas-une-adresse" }), "email", "Adresse e-mail invalide"],
      [valid({ email: taken.email.toUpperCase() }), "email", "Un compte existe déjà avec cette adresse e-mail."],
      [valid({ role: "superadmin" }), "role", "Choix invalide."],
      [valid({ zoneId: "pas-une-zone" }), "zoneId", "Choisissez la zone de ce membre."],
      [valid({ zoneId: "00000000-0000-4000-8000-000000000000" }), "zoneId", "Choisissez la zone de ce membre."],
      [valid({ coachId: taken.id, role: "coach" }), "coachId", "Seul·e un·e candidat·e peut être associé·e"],
      [valid({ coachId: staffUser.id }), "coachId", "Choisissez un·e bénévole dans la liste."],
      [valid({ coachId: "1; drop table users" }), "coachId", "Choisissez un·e bénévole dans la liste."],
    ];
    const names: Record<string, string> = { firstName: "Prénom", lastName: "Nom", email: "Adresse e-mail", role: "Rôle", zoneId: "Zone", coachId: "Bénévole" };
    for (const [fields, field, message] of cases) {
      const before = (await app.db.select({ id: users.id }).from(users)).length;
      const response = await staff.post("/admin/membres/nouveau", fields);
      expect([400, 409], `${field}: ${JSON.stringify(fields)}`).toContain(response.status);
      const html = await response.text();
      expect(html, field).toContain("Le formulaire contient des erreurs");
      expect(html, field).toContain(message.replace(/'/g, "&#x27;"));
      expect(html).toContain(`href="#field-${field}"`);
      // The summary says which field each message is about.
      expect(html, field).toContain(`>${names[field]}\u202f: ${message.replace(/'/g, "&#x27;")}`);
      expect(html).not.toContain("<script>alert");
      expect(html, field).not.toContain("{max}"); // a message shown without its number never names a placeholder
      expect((await app.db.select({ id: users.id }).from(users)).length, field).toBe(before);
    }
    // What was typed comes back in the form, so nothing is lost.
    const again = await staff.post("/admin/membres/nouveau", valid({ firstName: "", lastName: "Garder-ce-nom" }));
    expect(await again.text()).toContain('value="Garder-ce-nom"');
  });

  it("re-pairs a candidate: the old pairing ends, one coach at a time, both logged", async () => {
    const candidate = await aCandidate(app.db, { zoneId });
    const first = await aCoach(app.db, { zoneId, firstName: "Bernard" });
    const second = await aCoach(app.db, { zoneId, firstName: "Aïcha" });
    expect((await staff.post(`/admin/membres/${candidate.id}`, { intent: "pair", coachId: first.id })).status).toBe(302);
    expect((await staff.post(`/admin/membres/${candidate.id}`, { intent: "pair", coachId: second.id })).status).toBe(302);
    const rows = await app.db.select().from(pairings).where(eq(pairings.candidateId, candidate.id));
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.endedAt === null).map((r) => r.coachId)).toEqual([second.id]);
    expect(rows.find((r) => r.coachId === first.id)).toMatchObject({ endedById: staffUser.id });
    const page = await (await staff.get(`/admin/membres/${candidate.id}`)).text();
    expect(page).toContain(`Bénévole actuel·le : Aïcha`);
    expect(page).toMatch(/binôme avec Bernard [^<]* terminé par Claire Duval/);
    // A coach may follow several candidates.
    const another = await aCandidate(app.db, { zoneId });
    await staff.post(`/admin/membres/${another.id}`, { intent: "pair", coachId: second.id });
    const coachPage = await (await staff.get(`/admin/membres/${second.id}`)).text();
    expect(coachPage).toContain(`${candidate.firstName} ${candidate.lastName}`);
    expect(coachPage).toContain(`${another.firstName} ${another.lastName}`);

    expect((await staff.post(`/admin/membres/${candidate.id}`, { intent: "unpair" })).status).toBe(302);
    const open = await app.db.select().from(pairings).where(and(eq(pairings.candidateId, candidate.id), isNull(pairings.endedAt)));
    expect(open).toHaveLength(0);
    const actions = (await app.db.select().from(auditLog).where(eq(auditLog.subjectId, candidate.id))).map((l) => l.action);
    expect(actions.sort()).toEqual(["pairing.ended", "pairing.started", "pairing.started"]);
  });

  it("refuses to pair with someone who is not a coach, with a message, and keeps the pairing", async () => {
    const candidate = await aCandidate(app.db, { zoneId });
    const coach = await aCoach(app.db, { zoneId });
    await staff.post(`/admin/membres/${candidate.id}`, { intent: "pair", coachId: coach.id });
    const other = await aCandidate(app.db, { zoneId });
    for (const coachId of [other.id, "", "n'importe quoi"]) {
      const response = await staff.post(`/admin/membres/${candidate.id}`, { intent: "pair", coachId });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("Choisissez un·e bénévole dans la liste.");
    }
    const unknownIntent = await staff.post(`/admin/membres/${candidate.id}`, { intent: "supprimer" });
    expect(unknownIntent.status).toBe(400);
    const open = await app.db.select().from(pairings).where(and(eq(pairings.candidateId, candidate.id), isNull(pairings.endedAt)));
    expect(open.map((p) => p.coachId)).toEqual([coach.id]);
  });

  it("finds members by name or e-mail, filters by role and zone, and pages through them", async () => {
    const zone = await aZone(app.db, { name: `Nantes ${Date.now()}` });
    for (let i = 0; i < 27; i++) await aCandidate(app.db, { zoneId: zone.id, lastName: `Lefebvre${i}`, password: null });
    await aCoach(app.db, { zoneId: zone.id, lastName: "Lefebvre-Coach" });
    const first = await (await staff.get(`/admin/membres?zone=${zone.id}&role=candidate&q=lefebvre`)).text();
    expect(first).toContain("27 membres");
    expect(first).not.toContain("Lefebvre-Coach");
    expect(first).toContain("Page suivante");
    const second = await (await staff.get(`/admin/membres?zone=${zone.id}&role=candidate&q=lefebvre&page=2`)).text();
    expect(new Set(second.match(/Lefebvre\d+/g)).size).toBe(2);
    expect(second).toContain("Page précédente");
    const byEmail = await (await staff.get(`/admin/membres?q=${encodeURIComponent(staffUser.email)}`)).text();
    expect(byEmail).toContain("1 membre");
    // Odd input is answered, never a server error.
    for (const query of ["?q=%25%25%25", "?page=-3", "?page=abc", "?role=roi", "?zone=x", `?q=${"a".repeat(500)}`]) {
      expect((await staff.get(`/admin/membres${query}`)).status, query).toBe(200);
    }
  });

  it("shows staff the outbox: recipient, subject, status and attempts, and each message's text", async () => {
    const fields = valid({ firstName: "Gaëlle" });
    await staff.post("/admin/membres/nouveau", fields);
    await app.smtp.waitFor(fields.email);
    const stored = async () => (await app.db.select().from(outbox).where(eq(outbox.toAddress, fields.email)))[0]!;
    await expect.poll(async () => (await stored()).status).toBe("sent");
    const message = await stored();
    expect(message.attempts).toBe(1);
    const list = await (await staff.get("/admin/boite-d-envoi")).text();
    expect(list).toContain(fields.email);
    expect(list).toContain("Votre espace LinkedOut vous attend");
    expect(list).toContain("Envoyé");
    const detail = await (await staff.get(`/admin/boite-d-envoi/${message.id}`)).text();
    expect(detail).toContain("Bonjour Gaëlle");
    // The e-mail really left: staff see it, but not the single-use link that would open the account.
    const token = linkIn(await app.smtp.waitFor(fields.email), "/mot-de-passe/").split("/").pop()!;
    expect(detail).not.toContain(token);
    expect(detail).toContain("/mot-de-passe/••••••••");
  });

  it("sends a fresh invitation on request; the previous link stops working", async () => {
    const fields = valid({ firstName: "Ibrahim" });
    await staff.post("/admin/membres/nouveau", fields);
    const firstLink = linkIn(await app.smtp.waitFor(fields.email), "/mot-de-passe/");
    const [member] = await app.db.select().from(users).where(eq(users.email, fields.email));
    expect((await staff.post(`/admin/membres/${member!.id}`, { intent: "resend" })).headers.get("location")).toContain("ok=resend");
    await expect.poll(() => app.smtp.received.filter((m) => m.to.includes(fields.email)).length, { timeout: 10_000 }).toBe(2);
    expect((await fetch(firstLink)).status).toBe(410);
  });
});
