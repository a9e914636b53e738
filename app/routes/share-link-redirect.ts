import { redirect } from "react-router";
import { shareLinkTarget } from "~/domain/sharing/share-links";
import type { Route } from "./+types/share-link-redirect";

/**
 * A personal share link: /s/CODE leads to the CV (or the cohort page) with `?via=CODE`, so what
 * follows is attributed.
 */
export async function loader({ params, context }: Route.LoaderArgs) {
  const target = await shareLinkTarget(context.services.db, params.code);
  if (!target) return new Response("Introuvable", { status: 404, headers: { "X-Robots-Tag": "noindex" } });
  return redirect(`${target.path}?via=${params.code}`, { headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
}
