import { and, eq } from "drizzle-orm";
import { cvPhotos, publicCvs } from "~/db/schema";
import type { Route } from "./+types/cv-photo";

/** The square photo of a published CV (only while it is public); immutable by id. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const id = params.photo.replace(/\.jpg$/, "");
  if (!/^[0-9a-f-]{36}$/.test(id)) return new Response("Introuvable", { status: 404 });
  const [row] = await context.services.db
    .select({ square: cvPhotos.square })
    .from(cvPhotos)
    .innerJoin(publicCvs, eq(publicCvs.cvId, cvPhotos.cvId))
    .where(and(eq(cvPhotos.id, id), eq(publicCvs.slug, params.slug)))
    .limit(1);
  if (!row) return new Response("Introuvable", { status: 404 });
  return new Response(new Uint8Array(row.square), {
    headers: { "Content-Type": "image/jpeg", "Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff" },
  });
}
