import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aCoach, aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { cvs } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

const form = (revision: number, catchphrase: string) => ({
  revision: String(revision),
  intent: "save",
  catchphrase,
  story: "Une histoire vraie.",
  "goals.count": "1",
  "goals.0.businessLine": "cleaning",
  "goals.0.job": "Agent d'entretien",
  "skills.count": "1",
  "skills.0": "Minutieux",
  "experiences.count": "0",
  "languages.count": "0",
  "passions.count": "0",
  "testimonials.count": "0",
});

/** Odd orders of clicks, hostile input and lock-out attempts: answered, never a 500, never a leak. */
describe("the CV workflow resists odd moves", () => {
  let app: TestApp;
  let zoneId: string;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false, env: { TRUST_PROXY: "1" } });
    zoneId = (await aZone(app.db)).id;
  });
  afterAll(() => app.close());

  const signedIn = async (person: { email: string; password: string | null }) => {
    const client = new HttpClient(app.url, { "X-Forwarded-For": `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
    await client.signIn(person.email, person.password!);
    return client;
  };

  it("publishes the version staff reviewed, not a save made after the submission", async () => {
    const pair = await aCandidateWithCoach(app.db, { zoneId });
    const coach = await signedIn(pair.coach);
    const candidate = await signedIn(pair.candidate);
    const staff = await signedIn(await aStaffMember(app.db, { zoneId }));
    const editor = `/espace/cv/${pair.candidate.id}`;
    await coach.post(editor, form(0, "Relu par l'équipe"));
    await coach.post(editor, { intent: "transition:submit" });
    await candidate.post(editor, form(1, "Ajouté après l'envoi"));
    await staff.post(editor, { intent: "transition:publish" });
    const [cv] = await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id));
    const page = await (await fetch(`${app.url}/cv/${cv!.slug}`)).text();
    expect(page).toContain("Relu par l&#x27;équipe");
    expect(page).not.toContain("Ajouté après l");
    // The later save waits for the next review.
    expect(await (await coach.get(editor)).text()).toContain("Des modifications ne sont pas encore publiées");
  });

  it("comes back from hidden to published even after a job was recorded meanwhile", async () => {
    const { candidate, coach } = await aPublishedCv(app.db, { zoneId });
    const client = await signedIn(coach);
    const editor = `/espace/cv/${candidate.id}`;
    await client.post(editor, { intent: "transition:hide" });
    await client.post(editor, { intent: "employed", until: "" });
    expect((await client.post(editor, { intent: "transition:show" })).headers.get("location")).toContain("etat=published");
  });

  it("refuses to unpublish a CV that was never public, or to publish one never submitted", async () => {
    const pair = await aCandidateWithCoach(app.db, { zoneId });
    const staff = await signedIn(await aStaffMember(app.db, { zoneId }));
    const editor = `/espace/cv/${pair.candidate.id}`;
    expect((await staff.post(editor, { intent: "transition:unpublish" })).status).toBe(409);
    expect((await staff.post(editor, { intent: "transition:publish" })).status).toBe(409);
    const [cv] = await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id));
    expect(cv!.status).toBe("draft");
    expect(cv!.publishedVersionId).toBeNull();
  });

  it("answers hostile values with a message, never a server error", async () => {
    const { candidate, coach } = await aPublishedCv(app.db, { zoneId });
    const client = await signedIn(coach);
    const editor = `/espace/cv/${candidate.id}`;
    for (const intent of ["transition:constructor", "transition:__proto__", "transition:toString", "autre-chose:1"]) {
      const response = await client.post(editor, { intent });
      expect(response.status, intent).toBeLessThan(500);
    }
    for (const revision of ["abc", "1e12", "-1", "99999999999"]) {
      const response = await client.post(editor, { ...form(0, "Valeur étrange"), revision });
      expect(response.status, revision).toBe(409);
      expect(await response.text()).toContain("Quelqu&#x27;un a enregistré ce CV");
    }
    for (const query of ["?a=99999999999", "?de=1e12", "?a=-4", "?de=abc&a=x"]) {
      expect((await client.get(`${editor}/versions${query}`)).status, query).toBeLessThan(500);
    }
  });

  it("survives malformed cookies on every kind of page", async () => {
    const { cv } = await aPublishedCv(app.db, { zoneId });
    for (const cookie of ["lo_lang=%E0", "lo_session=%E0", "lo_csrf=%E0", "lo_lang=%"]) {
      for (const path of [`/cv/${cv.slug}`, "/", "/connexion"]) {
        const response = await fetch(`${app.url}${path}`, { headers: { Cookie: cookie } });
        expect(response.status, `${cookie} ${path}`).toBeLessThan(500);
      }
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it("does not let a stranger lock someone out by failing on purpose from elsewhere", async () => {
    const victim = await aCoach(app.db, { zoneId });
    const attacker = new HttpClient(app.url, { "X-Forwarded-For": "203.0.113.9" });
    for (let i = 0; i < 8; i++) await attacker.post("/connexion", { email: victim.email, password: "pas le bon mot de passe" });
    expect((await attacker.post("/connexion", { email: victim.email, password: victim.password! })).status).toBe(429);
    const fromHome = new HttpClient(app.url, { "X-Forwarded-For": "198.51.100.7" });
    expect((await fromHome.post("/connexion", { email: victim.email, password: victim.password! })).status).toBe(302);
  });
});
