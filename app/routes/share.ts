import { redirect } from "react-router";
import { hitRateLimit } from "~/domain/accounts/rate-limit";
import { findSharedCv, isShareNetwork, recordShare } from "~/domain/sharing/events";
import { shareLinkFor } from "~/domain/sharing/share-links";
import { shareTarget } from "~/domain/sharing/share-targets";
import { shareText } from "~/domain/sharing/share-text";
import { getLocale, getUser } from "~/http/session.server";
import { translator } from "~/i18n";
import type { Route } from "./+types/share";

/**
 * A share button is a plain link through here: the intent is recorded (once a day per visitor,
 * CV and network), then the browser goes on to the network's own share page.
 */
async function share(request: Request, params: Route.LoaderArgs["params"], context: Route.LoaderArgs["context"]) {
  const cv = await findSharedCv(context.services.db, params.slug);
  if (!cv || !isShareNetwork(params.network)) return { cv: null, network: null };
  const client = { ip: context.clientIp, userAgent: request.headers.get("User-Agent") ?? "" };
  const limit = await hitRateLimit(context.services.db, `share:${client.ip}`, { limit: 120, windowSeconds: 60 });
  if (limit.allowed) {
    // A re-share from a page reached through a personal link counts as that link's "share of share".
    const link = await shareLinkFor(context.services.db, cv.cvId, new URL(request.url).searchParams.get("via"));
    await recordShare(context.services.db, context.services.sessionSecret, cv.cvId, params.network, client, link?.id ?? null);
  }
  return { cv, network: params.network };
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { cv, network } = await share(request, params, context);
  if (!cv || !network) return new Response("Introuvable", { status: 404 });
  const locale = await getLocale(request, await getUser(request, context));
  const t = translator(locale);
  const url = `${context.services.config.publicUrl}/cv/${params.slug}`;
  const text = await shareText(context.services.db, cv.firstName, locale);
  const target = shareTarget(network, url, text, t("share.subject", { firstName: cv.firstName }));
  return redirect(target ?? `/cv/${params.slug}`, { headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
}

/** Copy-link and the phone's share sheet happen in the page; it tells us with a small POST. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const { cv } = await share(request, params, context);
  return new Response(null, { status: cv ? 204 : 404 });
}
