import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { cvVersions, pairings, users } from "~/db/schema";
import type { Actor } from "~/domain/accounts/permissions";
import { AppError } from "~/http/app-error";
import { ensureCv } from "./cvs";
import { renderCvPdf } from "./pdf.server";
import { roleOnCv } from "./permissions";
import { squarePhoto } from "./photo-store";
import { toPublicCv } from "./projection";
import type { CompleteCv } from "./public-cv";

/**
 * The complete CV (with the candidate's last name, e-mail and coach), for the candidate, their
 * current coach and staff only, from the latest saved version. Never stored: it is private.
 */
export async function completeCvPdf(db: Db, actor: Actor | null, candidateId: string): Promise<{ pdf: Buffer; cv: CompleteCv }> {
  if (!z.uuid().safeParse(candidateId).success || !(await roleOnCv(db, actor, candidateId))) throw new AppError("NOT_FOUND", "notFound.title");
  const cvRow = await db.transaction((tx) => ensureCv(tx, candidateId));
  const [version] = await db.select().from(cvVersions).where(eq(cvVersions.id, cvRow.currentVersionId!));
  const [candidate] = await db.select({ firstName: users.firstName, lastName: users.lastName, email: users.email }).from(users).where(eq(users.id, candidateId));
  const [coach] = await db
    .select({ firstName: users.firstName, lastName: users.lastName })
    .from(pairings)
    .innerJoin(users, eq(users.id, pairings.coachId))
    .where(and(eq(pairings.candidateId, candidateId), isNull(pairings.endedAt)))
    .limit(1);
  const cv: CompleteCv = {
    ...toPublicCv(cvRow, candidate!, version!.content, version!.id),
    lastName: candidate!.lastName,
    email: candidate!.email,
    phone: null,
    coachName: coach ? `${coach.firstName} ${coach.lastName}` : null,
  };
  const photo = await squarePhoto(db, cvRow.id, version!.content.photoId);
  return { pdf: await renderCvPdf(cv, { photo, locale: actor!.locale }), cv };
}
