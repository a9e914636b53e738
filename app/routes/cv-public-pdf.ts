import { findPublicVersion, renditionOf } from "~/domain/cv/renditions.server";
import { contentDisposition, isFresh } from "~/http/file-responses.server";
import type { Route } from "./+types/cv-public-pdf";

/** The public PDF: the public card only (first name and initial, no contact details). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const found = await findPublicVersion(context.services.db, params.slug);
  if (!found) return new Response("Introuvable", { status: 404 });
  const headers = { "Cache-Control": "public, max-age=0, must-revalidate", ETag: `"${found.versionId}"` };
  if (isFresh(request, headers.ETag)) return new Response(null, { status: 304, headers });
  const pdf = await renditionOf(context.services.db, found, "pdf");
  return new Response(new Uint8Array(pdf), {
    headers: {
      ...headers,
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition("inline", `cv-${found.card.firstName}.pdf`),
      "X-Content-Type-Options": "nosniff",
    },
  });
}
