import { and, eq } from "drizzle-orm";
import { cvPhotos, publicCvs } from "~/db/schema";
import type { Route } from "./+types/cv-photo";

/**
 * The square photo of a published CV: only the one its published version shows, and only while
 * the CV is public. Browsers revalidate (the ETag is the photo id), so hiding takes effect at once.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const id = params.photo.replace(/\.jpg$/, "");
  if (!/^[0-9a-f-]{36}$/.test(id)) return new Response("Introuvable", { status: 404 });
  const [row] = await context.services.db
    .select({ square: cvPhotos.square, card: publicCvs.card })
    .from(cvPhotos)
    .innerJoin(publicCvs, eq(publicCvs.cvId, cvPhotos.cvId))
    .where(and(eq(cvPhotos.id, id), eq(publicCvs.slug, params.slug)))
    .limit(1);
  if (!row || row.card.photoUrl !== `/cv/${params.slug}/photo/${id}.jpg`) return new Response("Introuvable", { status: 404 });
  const headers = { "Cache-Control": "public, max-age=0, must-revalidate", ETag: `"${id}"`, "X-Content-Type-Options": "nosniff" };
  if (request.headers.get("If-None-Match") === `"${id}"`) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(row.square), { headers: { ...headers, "Content-Type": "image/jpeg" } });
}
