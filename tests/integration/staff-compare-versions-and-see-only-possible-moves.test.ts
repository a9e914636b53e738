import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aCvContent, aPublishedCv, aStaffMember, aZone } from "../../app/db/factories";
import { cvPhotos, cvs, cvVersions } from "../../app/db/schema";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

const decode = (html: string) => html.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/<!-- -->/g, "");

describe("staff compare versions in words and see only the moves the CV allows", () => {
  let app: TestApp;
  let zoneId: string;
  let staff: HttpClient;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    zoneId = (await aZone(app.db)).id;
    const member = await aStaffMember(app.db, { zoneId });
    staff = new HttpClient(app.url);
    await staff.signIn(member.email, member.password!);
  });
  afterAll(() => app.close());

  it("shows labels instead of codes, photos instead of ids, and marks the published version", async () => {
    const { candidate, coach, cv } = await aPublishedCv(app.db, { zoneId, content: { goals: [{ businessLine: "hospitality", job: "Commis de cuisine" }], contracts: ["cdi"], departments: ["93"], drivingLicence: false } });
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#2e86c1" } }).jpeg().toBuffer();
    const [photo] = await app.db.insert(cvPhotos).values({ cvId: cv.id, square: jpeg, large: jpeg }).returning();
    const changed = aCvContent({
      goals: [{ businessLine: "logistics", job: "Cariste" }],
      contracts: ["temping", "cdd_short"],
      departments: ["69", "2A"],
      drivingLicence: true,
      experiences: [{ kind: "training", title: "CACES 1", organisation: "AFPA", place: "Lyon", start: "2024-09", end: "2025-03", description: "" }],
      photoId: photo!.id,
    });
    const [second] = await app.db.insert(cvVersions).values({ cvId: cv.id, revision: 2, content: changed, authorId: coach.id }).returning();
    await app.db.update(cvs).set({ currentVersionId: second!.id, revision: 2 }).where(eq(cvs.id, cv.id));

    const html = decode(await (await staff.get(`/espace/cv/${candidate.id}/versions?de=1&a=2`)).text());
    for (const words of ["Restauration et hôtellerie — Commis de cuisine", "Logistique et approvisionnement — Cariste", "Intérim", "CDD de moins de 6 mois", "Seine-Saint-Denis (93)", "Rhône (69)", "Corse-du-Sud (2A)", "Formation — CACES 1 — AFPA — Lyon", "Oui", "Non", "Pas de photo"]) {
      expect(html, words).toContain(words);
    }
    const shown = html.replace(/<script[\s\S]*?<\/script>/g, ""); // what the page shows, not the data it hydrates from
    for (const code of ["hospitality", "logistics", "temping", "cdd_short", "training", "✓", "✗"]) expect(shown, code).not.toMatch(new RegExp(`>[^<]*\\b${code}\\b[^<]*<`));
    expect(shown).not.toContain(`>${photo!.id}<`);
    // The new photo as a thumbnail, served to those who may read the CV only.
    const src = `/espace/cv/${candidate.id}/photos/${photo!.id}.jpg`;
    expect(html).toContain(`src="${src}"`);
    const image = await staff.get(src);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect(image.headers.get("cache-control")).toContain("no-store");
    expect((await new HttpClient(app.url).get(src)).status).toBe(302);
    const other = await aCandidateWithCoach(app.db, { zoneId });
    expect((await staff.get(`/espace/cv/${other.candidate.id}/photos/${photo!.id}.jpg`)).status).toBe(404);
    // Which version the public sees.
    expect(html).toContain("Avant (Version 1 (publiée))");
    expect(html).toContain("Après (Version 2)");
    expect(html).toMatch(/Version 1<\/a>[^<]*(<[^>]+>[^<]*)*Publiée/);
    expect(html).toContain('<option value="1">Version 1 (publiée)</option>');
  });

  it("offers no « Masquer » nor « Dépublier » on a CV that was never published, and refuses them", async () => {
    const { candidate } = await aCandidateWithCoach(app.db, { zoneId });
    const editor = `/espace/cv/${candidate.id}`;
    const buttons = async () => [...decode(await (await staff.get(editor)).text()).matchAll(/value="transition:(\w+)"/g)].map((m) => m[1]);
    expect(await buttons()).toEqual(["submit"]);
    // Sent for review, still never public: only the review's moves.
    await app.db.update(cvs).set({ status: "submitted", submittedVersionId: (await app.db.select().from(cvs).where(eq(cvs.candidateId, candidate.id)))[0]!.currentVersionId }).where(eq(cvs.candidateId, candidate.id));
    expect((await buttons()).sort()).toEqual(["publish", "request_changes"]);
    for (const transition of ["hide", "unpublish"]) {
      const refused = await staff.post(editor, { intent: `transition:${transition}` });
      expect(refused.status, transition).toBe(409);
      expect(decode(await refused.text())).toContain("Ce CV n'a jamais été publié");
    }
    expect((await app.db.select().from(cvs).where(eq(cvs.candidateId, candidate.id)))[0]!.status).toBe("submitted");
    // Once public, taking it down is offered.
    const published = await aPublishedCv(app.db, { zoneId });
    expect((await (async () => [...decode(await (await staff.get(`/espace/cv/${published.candidate.id}`)).text()).matchAll(/value="transition:(\w+)"/g)].map((m) => m[1]))()).sort()).toEqual(["hide", "unpublish"]);
  });
});
