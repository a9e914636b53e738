import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anInvitedCandidate, anOffer, aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { auditLog, cvs } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/** Every change on a person's file leaves an audit_log row saying who did what (PRODUCT: "an audit log of every change, with its author"). */
describe("the audit log records who changed what", () => {
  let app: TestApp;
  let zoneId: string;
  let staffUser: Awaited<ReturnType<typeof aStaffMember>>;
  let staff: HttpClient;

  const signedIn = async (person: { email: string; password: string | null }) => {
    const c = new HttpClient(app.url);
    await c.signIn(person.email, person.password!);
    return c;
  };
  const rowsAbout = (subjectType: string, subjectId: string) =>
    app.db.select().from(auditLog).where(and(eq(auditLog.subjectType, subjectType), eq(auditLog.subjectId, subjectId))).orderBy(auditLog.id);

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    zoneId = (await aZone(app.db)).id;
    staffUser = await aStaffMember(app.db, { zoneId });
    staff = await signedIn(staffUser);
  });
  afterAll(() => app.close());

  it("records every save of a CV, by whom and which revision, autosaves included", async () => {
    const { candidate, coach, cv } = await aPublishedCv(app.db, { zoneId });
    const coachClient = await signedIn(coach);
    const form = (revision: number, intent: string) => ({
      revision: String(revision),
      intent,
      catchphrase: "Boulangère du matin, je ne rate jamais le premier four",
      story: "Une histoire vraie.",
      "goals.count": "1",
      "goals.0.businessLine": "crafts",
      "goals.0.job": "Boulangère",
      "skills.count": "1",
      "skills.0": "Ponctuelle",
      "experiences.count": "0",
      "languages.count": "0",
      "passions.count": "0",
      "testimonials.count": "0",
    });
    expect((await coachClient.post(`/espace/cv/${candidate.id}`, form(1, "save"))).status).toBe(302);
    expect((await staff.post(`/espace/cv/${candidate.id}`, form(2, "autosave"))).status).toBeLessThan(400);
    const rows = await rowsAbout("cv", cv.id);
    expect(rows.map((r) => [r.action, r.actorId, r.details.revision])).toEqual([
      ["cv.saved", coach.id, 2],
      ["cv.saved", staffUser.id, 3],
    ]);
    const [saved] = await app.db.select().from(cvs).where(eq(cvs.id, cv.id));
    expect(rows[1]!.details.versionId).toBe(saved!.currentVersionId);
  });

  it("records a follow-up note without its private words", async () => {
    const { candidate } = await aPublishedCv(app.db, { zoneId });
    const offer = await anOffer(app.db, { zoneId }, { candidateIds: [candidate.id] });
    const note = "Rappeler mardi, elle préfère le matin";
    expect((await staff.post(`/espace/offres/${candidate.id}/${offer.id}`, { intent: "note", note })).status).toBe(302);
    const rows = await rowsAbout("candidate_offer", `${candidate.id}/${offer.id}`);
    expect(rows.map((r) => [r.action, r.actorId])).toEqual([["follow_up.note_saved", staffUser.id]]);
    expect(JSON.stringify(rows[0]!.details)).not.toContain("mardi");
    // The same note again changes nothing, and logs nothing.
    await staff.post(`/espace/offres/${candidate.id}/${offer.id}`, { intent: "note", note });
    expect(await rowsAbout("candidate_offer", `${candidate.id}/${offer.id}`)).toHaveLength(1);
  });

  it("records a cohort's creation and each member added or removed", async () => {
    const created = await staff.post("/admin/promos", { name: `Promo journal ${Date.now()}`, description: "" });
    const path = created.headers.get("location")!;
    const cohortId = path.split("/").pop()!;
    const { cv } = await aPublishedCv(app.db, { zoneId });
    expect((await staff.post(path, { cv: cv.slug })).status).toBe(302);
    expect((await staff.post(path, { cv: cv.slug })).status).toBe(302); // already in: nothing to log
    expect((await staff.post(path, { intent: "remove", cvId: cv.id })).status).toBe(302);
    const rows = await rowsAbout("cohort", cohortId);
    expect(rows.map((r) => [r.action, r.actorId, r.details.cvId ?? null])).toEqual([
      ["cohort.created", staffUser.id, null],
      ["cohort.member_added", staffUser.id, cv.id],
      ["cohort.member_removed", staffUser.id, cv.id],
    ]);
  });

  it("records each invitation sent again", async () => {
    const invited = await anInvitedCandidate(app.db, { zoneId });
    expect((await staff.post(`/admin/membres/${invited.id}`, { intent: "resend" })).status).toBe(302);
    expect((await staff.post(`/admin/membres/${invited.id}`, { intent: "resend" })).status).toBe(302);
    const rows = await rowsAbout("user", invited.id);
    expect(rows.map((r) => [r.action, r.actorId])).toEqual([
      ["member.invitation_resent", staffUser.id],
      ["member.invitation_resent", staffUser.id],
    ]);
  });
});
