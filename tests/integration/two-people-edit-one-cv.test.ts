import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aStaffMember, aZone } from "../../app/db/factories";
import { cvs, cvVersions } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

const decode = (text: string) =>
  text
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&amp;/g, "&");
const attributes = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].slice(1).map((m) => [m[1]!, decode(m[2] ?? "")]));

/**
 * What a browser without JavaScript posts when the editor's form is sent as the page drew it:
 * every input, ticked box and radio, text area and selected option, and the button's intent.
 */
function formAsDrawn(html: string, change: (fields: [string, string][]) => [string, string][] = (f) => f): [string, string][] {
  const form = html.slice(html.indexOf('class="cv-editor"'), html.indexOf("</form>", html.indexOf('class="cv-editor"')));
  const fields: [string, string][] = [];
  for (const [tag] of form.matchAll(/<input [^>]*>/g)) {
    const a = attributes(tag);
    if (!a.name || a.type === "file") continue;
    if ((a.type === "checkbox" || a.type === "radio") && !("checked" in a)) continue;
    fields.push([a.name, a.value ?? "on"]);
  }
  for (const m of form.matchAll(/<textarea ([^>]*)>([^<]*)<\/textarea>/g)) fields.push([attributes(`<t ${m[1]}`).name!, decode(m[2]!)]);
  for (const m of form.matchAll(/<select ([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attributes(`<s ${m[1]}`).name!;
    for (const [option] of m[2]!.matchAll(/<option [^>]*>/g)) if (/ selected=""/.test(option)) fields.push([name, attributes(option).value ?? ""]);
  }
  return change([...fields, ["intent", "save"]]);
}

/** The editor form as filled in at first. */
const firstCv = {
  revision: "0",
  intent: "save",
  catchphrase: "Jardinière patiente",
  story: "Dix ans dans les espaces verts.",
  "goals.count": "1",
  "goals.0.businessLine": "agriculture",
  "goals.0.job": "Agente d'entretien",
  "skills.count": "1",
  "skills.0": "Élagage",
  "experiences.count": "0",
  "languages.count": "0",
  "passions.count": "0",
  "testimonials.count": "0",
  availability: "Dès maintenant",
  transport: "Vélo",
};

describe("two people editing one CV lose nothing, without JavaScript", () => {
  let app: TestApp;
  let pair: Awaited<ReturnType<typeof aCandidateWithCoach>>;
  let coach: HttpClient;
  let candidate: HttpClient;
  let staff: HttpClient;
  const editor = () => `/espace/cv/${pair.candidate.id}`;
  const stored = async () => {
    const [cv] = await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id));
    const [version] = await app.db.select().from(cvVersions).where(eq(cvVersions.id, cv!.currentVersionId!));
    return { revision: cv!.revision, content: version!.content };
  };
  /** Posts fields given as pairs (a name may repeat), as a browser does. */
  const postPairs = (client: HttpClient, fields: [string, string][]) => client.postMultipart(editor(), Object.fromEntries(fields));

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    const zoneId = (await aZone(app.db)).id;
    pair = await aCandidateWithCoach(app.db, { zoneId, coach: { firstName: "Hélène" }, candidate: { firstName: "Nadia" } });
    coach = new HttpClient(app.url);
    await coach.signIn(pair.coach.email, pair.coach.password!);
    candidate = new HttpClient(app.url);
    await candidate.signIn(pair.candidate.email, pair.candidate.password!);
    const staffMember = await aStaffMember(app.db, { zoneId, firstName: "Karim" });
    staff = new HttpClient(app.url);
    await staff.signIn(staffMember.email, staffMember.password!);
  });
  afterAll(() => app?.close());

  it("takes what only the other changed, keeps what only you changed, and the retry saves both", async () => {
    expect((await coach.post(editor(), firstCv)).status).toBe(302);
    const start = await stored();
    // Both open the editor at this revision; the coach saves a new story first.
    expect((await coach.post(editor(), { ...firstCv, revision: String(start.revision), story: "Dix ans dans les espaces verts, puis la rue." })).status).toBe(302);
    const refused = await candidate.post(editor(), { ...firstCv, revision: String(start.revision), catchphrase: "Jardinière joyeuse" });
    expect(refused.status).toBe(409);
    expect((await stored()).revision).toBe(start.revision + 1);
    const html = await refused.text();
    expect(html).toContain("Hélène a enregistré ce CV pendant que vous écriviez");
    expect(html).toContain("Repris de la version de Hélène\u202f: Mon histoire.");
    expect(html).toContain("Vos changements, gardés\u202f: Phrase d&#x27;accroche.");
    // The form holds both changes and builds on the coach's revision: sent as drawn, it saves.
    const retry = formAsDrawn(html);
    expect(retry).toContainEqual(["revision", String(start.revision + 1)]);
    expect(retry).toContainEqual(["story", "Dix ans dans les espaces verts, puis la rue."]);
    expect(retry).toContainEqual(["catchphrase", "Jardinière joyeuse"]);
    expect(retry.some(([name]) => name.startsWith("choice."))).toBe(false);
    expect((await postPairs(candidate, retry)).status).toBe(302);
    const after = await stored();
    expect(after.revision).toBe(start.revision + 2);
    expect(after.content.story).toBe("Dix ans dans les espaces verts, puis la rue.");
    expect(after.content.catchphrase).toBe("Jardinière joyeuse");
  });

  it("shows a field both changed side by side, saves nothing until a choice is made, then applies it", async () => {
    const start = await stored();
    const base = { ...firstCv, revision: String(start.revision), catchphrase: start.content.catchphrase, story: start.content.story };
    expect((await staff.post(editor(), { ...base, story: "Version relue par Karim.", transport: "Vélo et bus" })).status).toBe(302);
    const refused = await coach.post(editor(), { ...base, story: "Version d'Hélène.", availability: "En septembre" });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain("Mon histoire\u202f: changé des deux côtés");
    expect(html).toContain("Version d&#x27;Hélène.");
    expect(html).toContain("Version relue par Karim.");
    expect(html).toContain("Garder ma version");
    expect(html).toContain("Prendre celle de Karim");
    const drawn = formAsDrawn(html);
    expect(drawn).toContainEqual(["story", "Version d'Hélène."]);
    expect(drawn).toContainEqual(["transport", "Vélo et bus"]);
    expect(drawn).toContainEqual(["availability", "En septembre"]);
    expect(drawn).toContainEqual(["conflicts", "story"]);

    // Sent without a choice: refused with a message on the field, nothing saved, choice still offered.
    const unchosen = await postPairs(coach, drawn);
    expect(unchosen.status).toBe(409);
    const again = await unchosen.text();
    expect(again).toContain("Choisissez votre version ou la sienne pour chaque champ changé des deux côtés.");
    expect(again).toContain('href="#field-choice.story"');
    expect(again).toContain("Prendre celle de Karim");
    expect((await stored()).revision).toBe(start.revision + 1);

    // "Prendre celle de Karim": his story, her availability, his transport.
    const chosen = formAsDrawn(again, (fields) => [...fields, ["choice.story", "theirs"]]);
    expect((await postPairs(coach, chosen)).status).toBe(302);
    const after = await stored();
    expect(after.revision).toBe(start.revision + 2);
    expect(after.content).toMatchObject({ story: "Version relue par Karim.", availability: "En septembre", transport: "Vélo et bus" });
  });

  it("keeps your version when you choose it, and asks again when a third save comes in meanwhile", async () => {
    const start = await stored();
    const base = { ...firstCv, revision: String(start.revision), story: start.content.story, availability: start.content.availability, transport: start.content.transport };
    expect((await coach.post(editor(), { ...base, catchphrase: "Accroche d'Hélène" })).status).toBe(302);
    const refused = await candidate.post(editor(), { ...base, catchphrase: "Mon accroche à moi" });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    // Meanwhile staff change the transport.
    expect((await staff.post(editor(), { ...base, revision: String(start.revision + 1), catchphrase: "Accroche d'Hélène", transport: "À pied" })).status).toBe(302);
    const second = await postPairs(candidate, formAsDrawn(html, (fields) => [...fields, ["choice.catchphrase", "mine"]]));
    expect(second.status).toBe(409);
    expect((await stored()).revision).toBe(start.revision + 2);
    const drawn = formAsDrawn(await second.text());
    expect(drawn).toContainEqual(["transport", "À pied"]);
    expect(drawn).toContainEqual(["catchphrase", "Mon accroche à moi"]);
    expect(drawn).toContainEqual(["revision", String(start.revision + 2)]);
    expect((await postPairs(candidate, drawn)).status).toBe(302);
    const after = await stored();
    expect(after.content).toMatchObject({ catchphrase: "Mon accroche à moi", transport: "À pied" });
  });

  it("keeps the conflict on screen when an item is added meanwhile, and asks for a photo sent with the refused save again", async () => {
    const start = await stored();
    const base = { ...firstCv, revision: String(start.revision), catchphrase: start.content.catchphrase, story: start.content.story, transport: start.content.transport };
    expect((await staff.post(editor(), { ...base, availability: "Le lundi" })).status).toBe(302);
    const photo = await sharp({ create: { width: 500, height: 500, channels: 3, background: { r: 90, g: 160, b: 90 } } }).jpeg().toBuffer();
    const refused = await candidate.postMultipart(editor(), { ...base, availability: "Le mardi", photo: { blob: new Blob([new Uint8Array(photo)], { type: "image/jpeg" }), filename: "moi.jpg" } });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain("La photo choisie n&#x27;a pas été envoyée\u202f: choisissez-la à nouveau avant d&#x27;enregistrer.");
    expect((await stored()).content.photoId).toBe(start.content.photoId);
    const added = await postPairs(candidate, formAsDrawn(html, (fields) => fields.map(([k, v]) => [k, k === "intent" ? "add:skills" : v])));
    expect(added.status).toBe(200);
    const page = await added.text();
    expect(page).toContain("Disponibilité\u202f: changé des deux côtés");
    expect(page).toContain("Prendre celle de Karim");
    expect(page).toContain('name="skills.1"');
    expect((await stored()).revision).toBe(start.revision + 1);
  });

  it("asks about every differing field when the starting revision is unknown, until each is chosen", async () => {
    const start = await stored();
    const refused = await candidate.post(editor(), { ...firstCv, revision: "abc", catchphrase: start.content.catchphrase, story: "Une histoire d'ailleurs.", transport: start.content.transport, availability: start.content.availability });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain("Mon histoire\u202f: changé des deux côtés");
    const unchosen = await postPairs(candidate, formAsDrawn(html));
    expect(unchosen.status).toBe(409);
    const again = await unchosen.text();
    expect(again).toContain("Mon histoire\u202f: changé des deux côtés");
    expect(again).toContain('href="#field-choice.story"');
    expect((await stored()).revision).toBe(start.revision);
    expect((await postPairs(candidate, formAsDrawn(again, (fields) => [...fields, ["choice.story", "theirs"]]))).status).toBe(302);
    expect((await stored()).content.story).toBe(start.content.story);
  });

  it("answers a stale save that is also invalid with the errors, and keeps the conflict on screen", async () => {
    const start = await stored();
    const base = { ...firstCv, revision: String(start.revision), catchphrase: start.content.catchphrase, story: start.content.story, transport: start.content.transport };
    expect((await coach.post(editor(), { ...base, story: "Encore une autre histoire." })).status).toBe(302);
    const refused = await candidate.post(editor(), { ...base, story: "Mon histoire, réécrite." });
    const html = await refused.text();
    const tooLong = await postPairs(candidate, formAsDrawn(html, (fields) => fields.map(([k, v]) => [k, k === "catchphrase" ? "x".repeat(81) : v])));
    expect(tooLong.status).toBe(400);
    const page = await tooLong.text();
    expect(page).toContain("Ce texte est trop long");
    expect(page).toContain("Prendre celle de Hélène");
    expect((await stored()).revision).toBe(start.revision + 1);
  });
});
