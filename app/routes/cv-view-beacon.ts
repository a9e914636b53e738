import { hitRateLimit } from "~/domain/accounts/rate-limit";
import { findSharedCv, recordView } from "~/domain/sharing/events";
import { roleOnCv } from "~/domain/cv/permissions";
import { eq } from "drizzle-orm";
import { cvs } from "~/db/schema";
import { shareLinkFor } from "~/domain/sharing/share-links";
import { getUser } from "~/http/session.server";
import type { Route } from "./+types/cv-view-beacon";

const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

/**
 * A 1×1 image in the CV page counts the view: it works without JavaScript and even when the
 * page itself comes from a cache. The candidate, their coach and staff never count. A flood from
 * one address still gets its image but, past the limit, records nothing.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const headers = { "Content-Type": "image/gif", "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };
  const cv = await findSharedCv(context.services.db, params.slug);
  if (cv) {
    const user = await getUser(request, context);
    let own = false;
    if (user) {
      const [row] = await context.services.db.select({ candidateId: cvs.candidateId }).from(cvs).where(eq(cvs.id, cv.cvId));
      own = !!row && (await roleOnCv(context.services.db, user, row.candidateId)) !== null;
    }
    const allowed = !own && (await hitRateLimit(context.services.db, `view:${context.clientIp}`, { limit: 600, windowSeconds: 60 })).allowed;
    if (allowed) {
      // A view that came through someone's personal link is counted for that link too.
      const link = await shareLinkFor(context.services.db, cv.cvId, new URL(request.url).searchParams.get("via"));
      await recordView(context.services.db, context.services.sessionSecret, cv.cvId, { ip: context.clientIp, userAgent: request.headers.get("User-Agent") ?? "" }, link?.id ?? null);
    }
  }
  return new Response(new Uint8Array(PIXEL), { headers });
}
