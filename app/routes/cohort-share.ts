import { redirect } from "react-router";
import { publicCohort } from "~/domain/sharing/cohorts";
import { isShareNetwork } from "~/domain/sharing/events";
import { shareTarget } from "~/domain/sharing/share-targets";
import { getLocale, getUser } from "~/http/session.server";
import { translator } from "~/i18n";
import type { Route } from "./+types/cohort-share";

/**
 * One button shares the whole cohort page. Nothing is recorded here: share counters stay per CV
 * (a cohort share is not a share of any one CV), see docs/decisions.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const cohort = await publicCohort(context.services.db, params.slug);
  if (!cohort || !isShareNetwork(params.network)) return new Response("Introuvable", { status: 404 });
  const t = translator(await getLocale(request, await getUser(request, context)));
  const url = `${context.services.config.publicUrl}/promo/${cohort.slug}`;
  const target = shareTarget(params.network, url, t("cohorts.shareText", { name: cohort.name }), t("cohorts.shareSubject", { name: cohort.name }));
  if (!target) return new Response("Introuvable", { status: 404 });
  return redirect(target, { headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
}
