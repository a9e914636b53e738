import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aCoach, aStaffMember, aZone } from "../../app/db/factories";
import { cvPhotos, cvRenditions, cvVersions, cvs } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { pdfText } from "../support/pdf-text";
import { startTestApp, type TestApp } from "../support/test-app";

/** The editor's fields as a browser posts them with a file (multipart). */
function cvFields(revision: number, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    revision: String(revision),
    intent: "save",
    catchphrase: "Boulanger du matin, je connais le prix du pain",
    story: "Vingt ans de fournil, puis la rue. Je veux retrouver le pétrin.",
    "goals.count": "1",
    "goals.0.businessLine": "hospitality",
    "goals.0.job": "Boulanger",
    "skills.count": "1",
    "skills.0": "Ponctualité",
    "experiences.count": "0",
    "languages.count": "0",
    "passions.count": "0",
    "testimonials.count": "0",
    availability: "Dès maintenant",
    transport: "Bus",
    focus: "top",
    ...overrides,
  };
}

/** A phone photo: a JPEG that tells where it was taken. */
const aPhotoWithGps = () =>
  sharp({ create: { width: 900, height: 1200, channels: 3, background: "#b7791f" } })
    .withExif({ IFD0: { Make: "PhoneMaker", Model: "Phone 12" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 24/1", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 7/1" } })
    .jpeg()
    .toBuffer();

const file = (bytes: Buffer | string, type: string, filename: string) => ({ blob: new Blob([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], { type }), filename });

describe("a coach adds a photo, the public shares a preview and a PDF, the pair prints the complete CV", () => {
  let app: TestApp;
  let pair: Awaited<ReturnType<typeof aCandidateWithCoach>>;
  let coach: HttpClient;
  let candidate: HttpClient;
  let staff: HttpClient;
  let slug: string;
  const editor = () => `/espace/cv/${pair.candidate.id}`;
  const cvRow = async () => (await app.db.select().from(cvs).where(eq(cvs.candidateId, pair.candidate.id)))[0]!;
  const signedIn = async (person: { email: string; password?: string | null }) => {
    const client = new HttpClient(app.url);
    await client.signIn(person.email, person.password!);
    return client;
  };

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    const zoneId = (await aZone(app.db)).id;
    pair = await aCandidateWithCoach(app.db, { zoneId, candidate: { firstName: "Théo", lastName: "Lagrange-Delmotte" }, coach: { lastName: "Berthomieu" } });
    coach = await signedIn(pair.coach);
    candidate = await signedIn(pair.candidate);
    staff = await signedIn(await aStaffMember(app.db, { zoneId }));
    expect((await coach.get(editor())).status).toBe(200);
    slug = (await cvRow()).slug;
  });
  afterAll(() => app.close());

  it("refuses a text file named photo.jpg, keeps what was typed and changes nothing", async () => {
    const before = await cvRow();
    const response = await coach.postMultipart(editor(), { ...cvFields(before.revision, { catchphrase: "Tapé avant la mauvaise photo" }), photo: file("pas une image", "image/jpeg", "photo.jpg") });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Cette photo n&#x27;est pas une image JPEG, PNG ou WebP.");
    expect(html).toContain('value="Tapé avant la mauvaise photo"');
    expect((await cvRow()).revision).toBe(before.revision);
    expect(await app.db.select({ id: cvPhotos.id }).from(cvPhotos).where(eq(cvPhotos.cvId, before.id))).toHaveLength(0);
  });

  it("refuses a body over 11 MB before reading it, saying the photo is too heavy, declared or streamed", async () => {
    const before = await cvRow();
    const response = await coach.postMultipart(editor(), { ...cvFields(before.revision), photo: file(Buffer.alloc(12 * 1024 * 1024, 1), "image/jpeg", "huge.jpg") });
    expect(response.status).toBe(413);
    const html = await response.text();
    expect(html).toContain("Cette photo pèse plus de 10 Mo : choisissez-en une plus légère.");
    expect(html).toContain('id="field-photo"');
    // The same photo streamed without a declared length (chunked): the same answer, not a cut connection.
    const body = new FormData();
    for (const [name, value] of Object.entries(cvFields(before.revision))) body.append(name, value);
    body.append("photo", new Blob([Buffer.alloc(12 * 1024 * 1024, 1)], { type: "image/jpeg" }), "huge.jpg");
    body.set("csrf", await coach.csrf());
    const encoded = new Response(body);
    const streamed = await fetch(`${app.url}${editor()}`, {
      method: "POST",
      headers: { Cookie: [...coach.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "Content-Type": encoded.headers.get("Content-Type")! },
      body: encoded.body,
      duplex: "half",
      redirect: "manual",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.text()).toContain("Cette photo pèse plus de 10 Mo : choisissez-en une plus légère.");
    expect((await cvRow()).revision).toBe(before.revision);
  });

  it("saves the photo with the CV, and serves it once public as a 400×400 JPEG without EXIF", async () => {
    const original = await aPhotoWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const before = await cvRow();
    const saved = await coach.postMultipart(editor(), { ...cvFields(before.revision), photo: file(original, "image/jpeg", "IMG_0042.jpg") });
    expect(saved.status).toBe(302);
    const after = await cvRow();
    const [version] = await app.db.select().from(cvVersions).where(eq(cvVersions.id, after.currentVersionId!));
    const photos = await app.db.select().from(cvPhotos).where(eq(cvPhotos.cvId, after.id));
    expect(photos).toHaveLength(1);
    expect(version!.content.photoId).toBe(photos[0]!.id);
    expect((await sharp(photos[0]!.large).metadata()).height).toBe(1200);

    // Not public before publication.
    const photoUrl = `/cv/${slug}/photo/${photos[0]!.id}.jpg`;
    expect((await fetch(`${app.url}${photoUrl}`)).status).toBe(404);
    expect((await coach.post(editor(), { intent: "transition:submit" })).status).toBe(302);
    expect((await staff.post(editor(), { intent: "transition:publish" })).headers.get("location")).toContain("etat=published");

    const served = await fetch(`${app.url}${photoUrl}`);
    expect(served.status).toBe(200);
    const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 400, 400]);
    expect(meta.exif).toBeUndefined();
  });

  it("serves a 1200×630 PNG preview, drawn once per version and then from the cache", async () => {
    const first = await fetch(`${app.url}/cv/${slug}/apercu.png`);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/png");
    expect(first.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    const { publishedVersionId } = await cvRow();
    const etag = first.headers.get("etag");
    expect(etag).toBe(`"${publishedVersionId}"`);
    const png = Buffer.from(await first.arrayBuffer());
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 1200, 630]);

    const cached = await app.db
      .select({ bytes: cvRenditions.bytes })
      .from(cvRenditions)
      .where(and(eq(cvRenditions.versionId, publishedVersionId!), eq(cvRenditions.kind, "preview")));
    expect(cached).toHaveLength(1);
    expect(Buffer.compare(cached[0]!.bytes, png)).toBe(0);
    const again = await fetch(`${app.url}/cv/${slug}/apercu.png`);
    expect(Buffer.compare(Buffer.from(await again.arrayBuffer()), png)).toBe(0);
    const unchanged = await fetch(`${app.url}/cv/${slug}/apercu.png`, { headers: { "If-None-Match": etag! } });
    expect(unchanged.status).toBe(304);
    expect((await fetch(`${app.url}/cv/personne-inconnue/apercu.png`)).status).toBe(404);
  });

  it("prints the public PDF from the public card only: no e-mail, no last name, no coach", async () => {
    const response = await fetch(`${app.url}/cv/${slug}/cv.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(`inline; filename="cv-Theo.pdf"; filename*=UTF-8''cv-Th%C3%A9o.pdf`);
    const text = await pdfText(await response.arrayBuffer());
    expect(text).toContain("Boulanger du matin, je connais le prix du pain");
    expect(text).toContain("Théo L.");
    expect(text).not.toContain(pair.candidate.email);
    expect(text).not.toContain("Lagrange");
    expect(text).not.toContain("Berthomieu");
    const { publishedVersionId } = await cvRow();
    const stored = await app.db.select({ kind: cvRenditions.kind }).from(cvRenditions).where(and(eq(cvRenditions.versionId, publishedVersionId!), eq(cvRenditions.kind, "pdf")));
    expect(stored).toHaveLength(1);
  });

  it("prints the complete PDF for the candidate, the coach and staff, and for no one else", async () => {
    for (const client of [coach, candidate, staff]) {
      const response = await client.get(`${editor()}/cv.pdf`);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      const text = await pdfText(await response.arrayBuffer());
      expect(text).toContain(pair.candidate.email);
      expect(text).toContain("Théo Lagrange-Delmotte");
    }
    expect(await (await coach.get(editor())).text()).toContain(`href="${editor()}/cv.pdf"`);

    const other = await aCandidateWithCoach(app.db, { zoneId: pair.zoneId });
    const otherCoach = await aCoach(app.db, { zoneId: pair.zoneId });
    for (const person of [other.candidate, other.coach, otherCoach]) {
      expect((await (await signedIn(person)).get(`${editor()}/cv.pdf`)).status).toBe(404);
    }
    const anonymous = await new HttpClient(app.url).get(`${editor()}/cv.pdf`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/connexion\?retour=/);
    // No complete PDF is ever stored.
    expect(await app.db.select({ kind: cvRenditions.kind }).from(cvRenditions).where(eq(cvRenditions.kind, "pdf"))).toHaveLength(1);
  });

  it("stops serving the preview and the PDF at once when the candidate hides the CV", async () => {
    expect((await candidate.post(editor(), { intent: "transition:hide" })).status).toBe(302);
    expect((await fetch(`${app.url}/cv/${slug}/apercu.png`)).status).toBe(404);
    expect((await fetch(`${app.url}/cv/${slug}/cv.pdf`)).status).toBe(404);
  });

  it("removes the photo when asked", async () => {
    const before = await cvRow();
    expect((await coach.postMultipart(editor(), { ...cvFields(before.revision), removePhoto: "on" })).status).toBe(302);
    const after = await cvRow();
    const [version] = await app.db.select().from(cvVersions).where(eq(cvVersions.id, after.currentVersionId!));
    expect(version!.content.photoId).toBeNull();
  });
});
