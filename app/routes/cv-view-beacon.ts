import { eq } from "drizzle-orm";
import { cvs } from "~/db/schema";
import { roleOnCv } from "~/domain/cv/permissions";
import { countView, sharedCv, VIEW_PIXEL } from "~/domain/sharing/ingest";
import { getUser } from "~/http/session.server";
import type { Route } from "./+types/cv-view-beacon";

/**
 * A 1×1 image in the CV page counts the view: it works without JavaScript and even when the
 * page itself comes from a cache. The candidate, their coach and staff never count. A flood from
 * one address still gets its image but, past the limit, records nothing.
 * Anonymous visitors are answered by the node:http fast path (server/http.ts) with the same
 * ingestion; this route serves signed-in people (who must be checked) and development.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const headers = { "Content-Type": "image/gif", "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };
  const cv = await sharedCv(context.services.db, params.slug);
  if (cv) {
    const user = await getUser(request, context);
    let own = false;
    if (user?.role === "staff") own = true; // staff of every zone, not only the CV's own
    else if (user) {
      const [row] = await context.services.db.select({ candidateId: cvs.candidateId }).from(cvs).where(eq(cvs.id, cv.cvId));
      own = !!row && (await roleOnCv(context.services.db, user, row.candidateId)) !== null;
    }
    if (!own) {
      // A view that came through someone's personal link is counted for that link too.
      const client = { ip: context.clientIp, userAgent: request.headers.get("User-Agent") ?? "" };
      await countView(context.services, cv, client, new URL(request.url).searchParams.get("via"));
    }
  }
  return new Response(new Uint8Array(VIEW_PIXEL), { headers });
}
