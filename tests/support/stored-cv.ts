import { eq } from "drizzle-orm";
import type { Db } from "../../app/db/client.server";
import { cvs, cvVersions } from "../../app/db/schema";
import type { CvContent } from "../../app/domain/cv/content";

/** The CV as it is stored now (its revision and the content of its current version), or null when none was saved. */
export async function storedCv(db: Db, candidateId: string): Promise<{ revision: number; content: CvContent } | null> {
  const [cv] = await db.select().from(cvs).where(eq(cvs.candidateId, candidateId));
  if (!cv?.currentVersionId) return null;
  const [version] = await db.select().from(cvVersions).where(eq(cvVersions.id, cv.currentVersionId));
  return version ? { revision: cv.revision, content: version.content } : null;
}
