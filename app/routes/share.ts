import { redirect } from "react-router";
import { countShare, isShareNetwork, shareAnswer, sharedCv } from "~/domain/sharing/ingest";
import { getLocale, getUser } from "~/http/session.server";
import type { Route } from "./+types/share";

/**
 * A share button is a plain link through here: the intent is recorded (once a day per visitor,
 * CV and network), then the browser goes on to the network's own share page — directly once
 * JavaScript runs (`?direct=1`), through a small thank-you page without it.
 * Anonymous visitors are answered by the node:http fast path (server/http.ts) with the same
 * ingestion; this route serves signed-in people and development.
 */
async function share(request: Request, params: Route.LoaderArgs["params"], context: Route.LoaderArgs["context"]) {
  const cv = await sharedCv(context.services.db, params.slug);
  if (!cv || !isShareNetwork(params.network)) return { cv: null, network: null };
  const client = { ip: context.clientIp, userAgent: request.headers.get("User-Agent") ?? "" };
  // A re-share from a page reached through a personal link counts as that link's "share of share".
  await countShare(context.services, cv, params.network, client, new URL(request.url).searchParams.get("via"));
  return { cv, network: params.network };
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { cv, network } = await share(request, params, context);
  if (!cv || !network) return new Response("Introuvable", { status: 404 });
  const locale = await getLocale(request, await getUser(request, context));
  const direct = new URL(request.url).searchParams.has("direct");
  const answer = await shareAnswer(context.services, { slug: params.slug, cv, network, locale, direct });
  const headers = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };
  if ("location" in answer) return redirect(answer.location, { headers });
  return new Response(answer.html, { headers: { ...headers, "Content-Type": "text/html; charset=utf-8", "X-Robots-Tag": "noindex" } });
}

/** Copy-link and the phone's share sheet happen in the page; it tells us with a small POST. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const { cv } = await share(request, params, context);
  return new Response(null, { status: cv ? 204 : 404 });
}
