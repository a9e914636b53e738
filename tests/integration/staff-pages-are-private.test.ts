import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidate, aCandidateWithCoach, aCoach, aStaffMember, aZone } from "../../app/db/factories";
import { users } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/** Every staff page and action, refused to anyone who is not staff. */
describe("who may see and do what", () => {
  let app: TestApp;
  let zoneId: string;
  let pair: Awaited<ReturnType<typeof aCandidateWithCoach>>;
  let otherPair: Awaited<ReturnType<typeof aCandidateWithCoach>>;
  let loneCoach: Awaited<ReturnType<typeof aCoach>>;
  const clients: Record<"anonymous" | "candidate" | "coach" | "otherCoach", HttpClient> = {} as never;

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    zoneId = (await aZone(app.db)).id;
    pair = await aCandidateWithCoach(app.db, { zoneId });
    otherPair = await aCandidateWithCoach(app.db, { zoneId });
    loneCoach = await aCoach(app.db, { zoneId });
    clients.anonymous = new HttpClient(app.url);
    clients.candidate = new HttpClient(app.url);
    await clients.candidate.signIn(pair.candidate.email, pair.candidate.password!);
    clients.coach = new HttpClient(app.url);
    await clients.coach.signIn(pair.coach.email, pair.coach.password!);
    clients.otherCoach = new HttpClient(app.url);
    await clients.otherCoach.signIn(loneCoach.email, loneCoach.password!);
  });
  afterAll(() => app.close());

  const staffPages = () => [
    "/admin",
    "/admin/membres",
    "/admin/membres?q=a&role=coach",
    "/admin/membres/nouveau",
    `/admin/membres/${pair.candidate.id}`,
    "/admin/boite-d-envoi",
    "/admin/boite-d-envoi/00000000-0000-0000-0000-000000000000",
  ];

  it("sends anonymous visitors to the sign-in page from every staff page", async () => {
    for (const path of staffPages()) {
      const response = await clients.anonymous.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location"), path).toMatch(/^\/connexion\?retour=/);
    }
  });

  it("answers 404 to candidates and coaches on every staff page", async () => {
    for (const who of ["candidate", "coach"] as const) {
      for (const path of staffPages()) {
        const response = await clients[who].get(path);
        expect(response.status, `${who} ${path}`).toBe(404);
        expect(await response.text()).not.toContain(pair.candidate.email);
      }
    }
  });

  it("refuses every staff action to anonymous visitors, candidates and coaches, and changes nothing", async () => {
    const countUsers = async () => (await app.db.select({ id: users.id }).from(users)).length;
    const before = await countUsers();
    const actions: [string, Record<string, string>][] = [
      ["/admin/membres/nouveau", { role: "coach", firstName: "Intrus", lastName: "Test", email: "intrus@exemple.test", zoneId }],
      [`/admin/membres/${otherPair.candidate.id}`, { intent: "pair", coachId: pair.coach.id }],
      [`/admin/membres/${otherPair.candidate.id}`, { intent: "unpair" }],
      [`/admin/membres/${otherPair.candidate.id}`, { intent: "resend" }],
    ];
    for (const who of ["anonymous", "candidate", "coach"] as const) {
      for (const [path, fields] of actions) {
        const response = await clients[who].post(path, fields);
        expect([302, 404], `${who} ${path} ${fields.intent ?? ""}`).toContain(response.status);
        if (response.status === 302) expect(response.headers.get("location")).toMatch(/^\/connexion/);
      }
    }
    expect(await countUsers()).toBe(before);
    const staff = new HttpClient(app.url);
    const admin = await aStaffMember(app.db, { zoneId });
    await staff.signIn(admin.email, admin.password!);
    expect(await (await staff.get(`/admin/membres/${otherPair.candidate.id}`)).text()).toContain(
      `${otherPair.coach.firstName} ${otherPair.coach.lastName}`,
    );
  });

  it("lets a coach open the candidates they follow, and no one else's", async () => {
    const own = await clients.coach.get(`/espace/candidats/${pair.candidate.id}`);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain(pair.candidate.lastName);
    expect((await clients.coach.get(`/espace/candidats/${otherPair.candidate.id}`)).status).toBe(404);
    expect((await clients.otherCoach.get(`/espace/candidats/${pair.candidate.id}`)).status).toBe(404);
    expect((await clients.coach.get(`/espace/candidats/pas-un-identifiant`)).status).toBe(404);
    expect((await clients.coach.get(`/espace/candidats/${pair.coach.id}`)).status).toBe(404);
  });

  it("lets a candidate see their own space but not another candidate's page", async () => {
    const space = await clients.candidate.get("/espace");
    expect(space.status).toBe(200);
    expect(await space.text()).toContain(`${pair.coach.firstName} ${pair.coach.lastName}`);
    expect((await clients.candidate.get(`/espace/candidats/${otherPair.candidate.id}`)).status).toBe(404);
    expect((await clients.anonymous.get(`/espace/candidats/${pair.candidate.id}`)).status).toBe(302);
  });

  it("no longer shows a candidate to their former coach after re-pairing", async () => {
    const candidate = await aCandidate(app.db, { zoneId });
    const staffUser = await aStaffMember(app.db, { zoneId });
    const staff = new HttpClient(app.url);
    await staff.signIn(staffUser.email, staffUser.password!);
    await staff.post(`/admin/membres/${candidate.id}`, { intent: "pair", coachId: pair.coach.id });
    expect((await clients.coach.get(`/espace/candidats/${candidate.id}`)).status).toBe(200);
    await staff.post(`/admin/membres/${candidate.id}`, { intent: "pair", coachId: loneCoach.id });
    expect((await clients.coach.get(`/espace/candidats/${candidate.id}`)).status).toBe(404);
    expect((await clients.otherCoach.get(`/espace/candidats/${candidate.id}`)).status).toBe(200);
  });
});
