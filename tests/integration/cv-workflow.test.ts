import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aCoach, aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { cvTransitions, cvVersions, cvs } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/** The editor form as a browser without JavaScript posts it. */
function cvForm(revision: number, overrides: Record<string, string> = {}) {
  return {
    revision: String(revision),
    intent: "save",
    catchphrase: "Jardinière patiente, j'aime voir pousser les choses",
    story: "Après dix ans dans les espaces verts de la ville, un accident puis la rue. Je suis prête à reprendre.",
    "goals.count": "1",
    "goals.0.businessLine": "agriculture",
    "goals.0.job": "Agente d'entretien des espaces verts",
    "skills.count": "2",
    "skills.0": "Élagage",
    "skills.1": "Patience",
    "experiences.count": "1",
    "experiences.0.kind": "experience",
    "experiences.0.title": "Jardinière",
    "experiences.0.organisation": "Ville de Lyon",
    "experiences.0.place": "Lyon",
    "experiences.0.start": "2010-03",
    "experiences.0.end": "",
    "experiences.0.description": "Entretien des parcs.",
    "languages.count": "0",
    "passions.count": "1",
    "passions.0": "Randonnée",
    "testimonials.count": "0",
    contracts: "cdi",
    departments: "69",
    availability: "Dès maintenant",
    transport: "Vélo",
    ...overrides,
  };
}

describe("a coach writes the CV, staff validate it, the public finds it", () => {
  let app: TestApp;
  let zoneId: string;
  let pair: Awaited<ReturnType<typeof aCandidateWithCoach>>;
  const coach = () => new HttpClient(app.url);
  let coachClient: HttpClient;
  let staffClient: HttpClient;
  let candidateClient: HttpClient;

  beforeAll(async () => {
    app = await startTestApp();
    zoneId = (await aZone(app.db)).id;
    pair = await aCandidateWithCoach(app.db, { zoneId, candidate: { firstName: "Océane", lastName: "Vasseur-Quintard" } });
    const staff = await aStaffMember(app.db, { zoneId });
    coachClient = coach();
    await coachClient.signIn(pair.coach.email, pair.coach.password!);
    staffClient = new HttpClient(app.url);
    await staffClient.signIn(staff.email, staff.password!);
    candidateClient = new HttpClient(app.url);
    await candidateClient.signIn(pair.candidate.email, pair.candidate.password!);
  });
  afterAll(() => app.close());

  const editor = () => `/espace/cv/${pair.candidate.id}`;

  it("goes from draft to published through changes requested, every step logged and e-mailed", async () => {
    expect((await coachClient.get(editor())).status).toBe(200);
    const saved = await coachClient.post(editor(), cvForm(0));
    expect(saved.status).toBe(302);
    expect((await coachClient.post(editor(), { intent: "transition:submit" })).headers.get("location")).toContain("etat=submitted");
    await app.smtp.waitFor("", { subject: /attend votre validation/ });
    // Staff find it in their queue.
    expect(await (await staffClient.get("/admin")).text()).toContain(`/espace/cv/${pair.candidate.id}`);

    const refused = await staffClient.post(editor(), { intent: "transition:request_changes", comment: "" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Expliquez ce qu&#x27;il faut modifier.");
    await staffClient.post(editor(), { intent: "transition:request_changes", comment: "Ajoutez une deuxième compétence humaine." });
    const mail = await app.smtp.waitFor(pair.coach.email, { subject: /modifications sont demandées/ });
    expect(mail.text).toContain("Ajoutez une deuxième compétence humaine.");
    expect(await (await coachClient.get(editor())).text()).toContain("Ajoutez une deuxième compétence humaine.");

    expect((await coachClient.post(editor(), cvForm(1, { "skills.count": "3", "skills.2": "Fiabilité" }))).status).toBe(302);
    await coachClient.post(editor(), { intent: "transition:submit" });
    // Only staff publish.
    expect((await coachClient.post(editor(), { intent: "transition:publish" })).status).toBe(409);
    expect((await staffClient.post(editor(), { intent: "transition:publish" })).headers.get("location")).toContain("etat=published");
    expect(await (await staffClient.get("/admin")).text()).toContain("Aucun CV n&#x27;attend de validation.");
    await app.smtp.waitFor(pair.candidate.email, { subject: /est en ligne/ });

    const [cv] = await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id));
    const log = await app.db.select().from(cvTransitions).where(eq(cvTransitions.cvId, cv!.id));
    expect(log.map((l) => `${l.fromStatus}>${l.toStatus}`)).toEqual([
      "draft>submitted",
      "submitted>changes_requested",
      "changes_requested>draft",
      "draft>submitted",
      "submitted>published",
    ]);
    expect((await app.db.select().from(cvVersions).where(eq(cvVersions.cvId, cv!.id))).length).toBe(3);

    // The public finds it by a word typed without its accent, and reads it.
    const search = await (await fetch(`${app.url}/candidats?q=jardiniere`)).text();
    expect(search).toContain(`/cv/${cv!.slug}`);
    const page = await fetch(`${app.url}/cv/${cv!.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Océane V.");
    expect(html).toContain("J&#x27;aimerais travailler dans agriculture et espaces verts comme Agente d&#x27;entretien des espaces verts");
    expect(html).toContain(`<meta property="og:image" content="${app.url}/cv/${cv!.slug}/apercu.png"/>`);
    expect(html).toContain(`<meta property="og:url" content="${app.url}/cv/${cv!.slug}"/>`);
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    expect(html).toContain(`<link rel="canonical" href="${app.url}/cv/${cv!.slug}"/>`);
    expect(html).toContain(`/offres/nouvelle?candidat=${cv!.slug}`);
    expect(html).not.toContain("Vasseur");
    expect(html).not.toContain(pair.candidate.email);
    expect(html).not.toContain(pair.coach.lastName);
  });

  it("keeps showing the published version while a newer one is written and reviewed", async () => {
    const [cv] = await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id));
    await coachClient.post(editor(), cvForm(cv!.revision, { catchphrase: "Une nouvelle accroche pas encore validée" }));
    const html = await (await fetch(`${app.url}/cv/${cv!.slug}`)).text();
    expect(html).toContain("Jardinière patiente");
    expect(html).not.toContain("pas encore validée");
  });

  it("lets the coach and staff see every version and what changed, but not the candidate", async () => {
    const versions = await coachClient.get(`${editor()}/versions?de=1&a=2`);
    expect(versions.status).toBe(200);
    const html = await versions.text();
    expect(html).toContain("Compétences et qualités");
    expect(html).toContain("Fiabilité");
    expect(html).not.toContain("Mon histoire</h2>");
    expect((await staffClient.get(`${editor()}/versions`)).status).toBe(200);
    expect((await candidateClient.get(`${editor()}/versions`)).status).toBe(404);
    expect((await new HttpClient(app.url).get(`${editor()}/versions`)).status).toBe(302);
    expect((await coachClient.get(`${editor()}/versions?a=999`)).status).toBe(404);
  });

  it("refuses a stale save and gives back what was typed", async () => {
    const [cv] = await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id));
    const stale = await candidateClient.post(editor(), cvForm(cv!.revision - 1, { catchphrase: "Mon texte tapé pendant ce temps" }));
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain("Quelqu&#x27;un a enregistré ce CV pendant que vous écriviez");
    expect(html).toContain('value="Mon texte tapé pendant ce temps"');
    const [after] = await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id));
    expect(after!.revision).toBe(cv!.revision);
    // One's own save in between (an autosave still in flight) is not a conflict.
    expect((await coachClient.post(editor(), cvForm(after!.revision, { catchphrase: "Première" }))).status).toBe(302);
    expect((await coachClient.post(editor(), cvForm(after!.revision, { catchphrase: "Seconde, sur la même base" }))).status).toBe(302);
  });

  it("refuses content over the limits with a message per field, and saves nothing", async () => {
    const [cv] = await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id));
    for (const [fields, message] of [
      [{ catchphrase: "x".repeat(81) }, "Ce texte est trop long"],
      [{ story: "y".repeat(1501) }, "Ce texte est trop long"],
      [{ "skills.count": "7", ...Object.fromEntries([...Array(7)].map((_, i) => [`skills.${i}`, `Compétence ${i}`])) }, "Six compétences au plus."],
      [{ "goals.0.businessLine": "astronaute" }, "Choix invalide."],
      [{ departments: "999" }, "Choix invalide."],
      [{ "experiences.0.start": "2020-13" }, "Date invalide"],
      [{ catchphrase: "<b>gras</b>" }, "Les balises HTML ne sont pas acceptées."],
    ] as [Record<string, string>, string][]) {
      const response = await coachClient.post(editor(), cvForm(cv!.revision, fields));
      expect(response.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
      expect(await response.text()).toContain(message);
    }
    const [after] = await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id));
    expect(after!.revision).toBe(cv!.revision);
  });

  it("adds, moves and removes items without JavaScript, keeping what was typed", async () => {
    const [cv] = await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id));
    const added = await (await coachClient.post(editor(), cvForm(cv!.revision, { intent: "add:skills", catchphrase: "Pas encore enregistré" }))).text();
    expect(added).toContain('name="skills.2"');
    expect(added).toContain('value="Pas encore enregistré"');
    const moved = await (await coachClient.post(editor(), cvForm(cv!.revision, { intent: "up:skills.1" }))).text();
    expect(moved.indexOf('value="Patience"')).toBeLessThan(moved.indexOf('value="Élagage"'));
  });

  it("hides the CV at once when the candidate asks, with a kind page in its place", async () => {
    const [cv] = await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id));
    expect((await fetch(`${app.url}/cv/${cv!.slug}`)).status).toBe(200);
    await candidateClient.post(editor(), { intent: "transition:hide" });
    const gone = await fetch(`${app.url}/cv/${cv!.slug}`);
    expect(gone.status).toBe(410);
    const html = await gone.text();
    expect(html).toContain("Ce profil n&#x27;est plus disponible");
    expect(html).toContain('content="noindex"');
    expect(await (await fetch(`${app.url}/candidats?q=jardiniere`)).text()).not.toContain(`/cv/${cv!.slug}`);
    await candidateClient.post(editor(), { intent: "transition:show" });
    expect((await fetch(`${app.url}/cv/${cv!.slug}`)).status).toBe(200);
    expect((await fetch(`${app.url}/cv/personne-inconnue`)).status).toBe(404);
  });
});

describe("who may read and act on a CV", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  it("hides drafts and the workflow from other candidates, other coaches and anonymous visitors", async () => {
    const zoneId = (await aZone(app.db)).id;
    const { candidate } = await aPublishedCv(app.db, { zoneId });
    const other = await aCandidateWithCoach(app.db, { zoneId });
    const otherCoach = await aCoach(app.db, { zoneId });
    const strangers: HttpClient[] = [];
    for (const person of [other.candidate, other.coach, otherCoach]) {
      const client = new HttpClient(app.url);
      await client.signIn(person.email, person.password!);
      strangers.push(client);
    }
    for (const client of strangers) {
      expect((await client.get(`/espace/cv/${candidate.id}`)).status).toBe(404);
      expect((await client.post(`/espace/cv/${candidate.id}`, { intent: "transition:hide" })).status).toBe(404);
      expect((await client.post(`/espace/cv/${candidate.id}`, cvForm(1))).status).toBe(404);
    }
    const anonymous = new HttpClient(app.url);
    expect((await anonymous.get(`/espace/cv/${candidate.id}`)).status).toBe(302);
    expect((await anonymous.post(`/espace/cv/${candidate.id}`, { intent: "transition:hide" })).status).toBe(302);
    const [cv] = await app.db.select().from(cvs).where(eq(cvs.candidateId, candidate.id));
    expect(cv!.status).toBe("published");
    expect(cv!.revision).toBe(1);
  });
});
