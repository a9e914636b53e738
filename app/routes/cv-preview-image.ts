import { findPublicVersion, renditionOf } from "~/domain/cv/renditions.server";
import { isFresh } from "~/http/file-responses.server";
import type { Route } from "./+types/cv-preview-image";

/** The 1200×630 card shown when the CV link is shared; one per published version. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const found = await findPublicVersion(context.services.db, params.slug);
  if (!found) return new Response("Introuvable", { status: 404 });
  const headers = { "Cache-Control": "public, max-age=0, must-revalidate", ETag: `"${found.versionId}"` };
  if (isFresh(request, headers.ETag)) return new Response(null, { status: 304, headers });
  const png = await renditionOf(context.services.db, found, "preview");
  return new Response(new Uint8Array(png), { headers: { ...headers, "Content-Type": "image/png", "X-Content-Type-Options": "nosniff" } });
}
