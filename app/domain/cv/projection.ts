import { eq, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { cvs, cvVersions, publicCvs, users } from "~/db/schema";
import { department } from "~/domain/reference/departments";
import type { CvContent } from "./content";
import { isPubliclyVisible } from "./cv-workflow";
import type { PublicCv } from "./public-cv";

/**
 * The privacy projection: the one function that turns a CV into what the public may see.
 * It copies named fields only — never the candidate's contact details, last name or coach.
 */
export function toPublicCv(
  cv: { slug: string; employedAt: Date | null; employedUntil: string | null },
  candidate: { firstName: string; lastName: string },
  content: CvContent,
  versionId: string,
): PublicCv {
  return {
    slug: cv.slug,
    firstName: candidate.firstName,
    lastInitial: `${candidate.lastName.trim().charAt(0).toUpperCase()}.`,
    photoUrl: content.photoId ? `/cv/${cv.slug}/photo/${content.photoId}.jpg` : null,
    catchphrase: content.catchphrase,
    story: content.story,
    goals: content.goals.map((g) => ({ businessLine: g.businessLine, job: g.job })),
    skills: [...content.skills],
    experiences: content.experiences.map((e) => ({
      kind: e.kind,
      title: e.title,
      organisation: e.organisation,
      place: e.place,
      start: e.start,
      end: e.end,
      description: e.description,
    })),
    languages: content.languages.map((l) => ({ name: l.name, level: l.level })),
    contracts: [...content.contracts],
    departments: [...content.departments],
    availability: content.availability,
    transport: content.transport,
    drivingLicence: content.drivingLicence,
    passions: [...content.passions],
    testimonials: content.testimonials.map((t) => ({ name: t.name, relation: t.relation, text: t.text })),
    employment: cv.employedAt ? { status: "employed", until: cv.employedUntil } : { status: "searching" },
    versionId,
  };
}

/** Words the gallery search looks through (catchphrase, goals, skills, experiences, story, places). */
function searchTextOf(card: PublicCv, businessLineLabels: (line: string) => string): string {
  return [
    card.firstName,
    card.catchphrase,
    ...card.goals.flatMap((g) => [g.job, businessLineLabels(g.businessLine)]),
    ...card.skills,
    ...card.experiences.flatMap((e) => [e.title, e.organisation, e.place, e.description]),
    card.story,
    ...card.departments.flatMap((code) => {
      const d = department(code);
      return d ? [d.name, d.code] : [code];
    }),
    ...card.passions,
  ]
    .filter(Boolean)
    .join(" \n");
}

/** Channel on which every change of a public CV is announced (on commit) to every web process. */
export const PUBLIC_CV_CHANGED = "public_cv_changed";

/**
 * Rebuilds (or removes) the public row of one CV. Call inside the transaction that changed it:
 * the NOTIFY is delivered on commit, so page caches never drop an entry before the change is visible.
 */
export async function refreshPublicCv(tx: Db, cvId: string, businessLineLabel: (line: string) => string): Promise<void> {
  const [slugRow] = await tx.select({ slug: cvs.slug }).from(cvs).where(eq(cvs.id, cvId));
  if (slugRow) await tx.execute(sql`select pg_notify(${PUBLIC_CV_CHANGED}, ${slugRow.slug})`);
  const [row] = await tx
    .select({ cv: cvs, firstName: users.firstName, lastName: users.lastName })
    .from(cvs)
    .innerJoin(users, eq(users.id, cvs.candidateId))
    .where(eq(cvs.id, cvId));
  if (!row || !isPubliclyVisible(row.cv) || !row.cv.publishedVersionId) {
    await tx.delete(publicCvs).where(eq(publicCvs.cvId, cvId));
    return;
  }
  const [version] = await tx.select().from(cvVersions).where(eq(cvVersions.id, row.cv.publishedVersionId));
  const values = publicRowOf(toPublicCv(row.cv, row, version!.content, version!.id), row.cv.publishedAt, businessLineLabel);
  await tx.insert(publicCvs).values({ cvId, ...values }).onConflictDoUpdate({ target: publicCvs.cvId, set: values });
}

/** The `public_cvs` row of a public card (without its CV id). */
export function publicRowOf(card: PublicCv, publishedAt: Date | null, businessLineLabel: (line: string) => string) {
  const regions = [...new Set(card.departments.map((code) => department(code)?.region).filter((r): r is NonNullable<typeof r> => !!r))];
  return {
    slug: card.slug,
    versionId: card.versionId,
    card,
    businessLines: card.goals.map((g) => g.businessLine),
    departments: card.departments,
    regions,
    contracts: card.contracts,
    employed: card.employment.status === "employed",
    searchText: searchTextOf(card, businessLineLabel),
    publishedAt: publishedAt ?? new Date(),
  };
}
