import { and, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { cvPhotos } from "~/db/schema";

/** The 400×400 JPEG of one photo of one CV (scoped by CV: an id from elsewhere finds nothing). */
export async function squarePhoto(db: Db, cvId: string, photoId: string | null): Promise<Buffer | null> {
  if (!photoId) return null;
  const [row] = await db
    .select({ square: cvPhotos.square })
    .from(cvPhotos)
    .where(and(eq(cvPhotos.id, photoId), eq(cvPhotos.cvId, cvId)))
    .limit(1);
  return row?.square ?? null;
}
