import { data, useActionData, useLoaderData } from "react-router";
import { hitRateLimit } from "~/domain/accounts/rate-limit";
import { findSharedCv } from "~/domain/sharing/events";
import { createShareLink } from "~/domain/sharing/share-links";
import { useT } from "~/ui/i18n";
import { NewShareLinkPage } from "~/ui/new-share-link";
import type { Route } from "./+types/share-link-new";

const noStore = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };

export async function loader({ params, context }: Route.LoaderArgs) {
  const cv = await findSharedCv(context.services.db, params.slug);
  if (!cv) throw data(null, { status: 404 });
  return data({ slug: params.slug, firstName: cv.firstName }, { headers: noStore });
}

/**
 * Anyone gets their own share link, without an account. No CSRF token here: the form sits on
 * the cached public page (which holds none), creating a link changes nothing for anyone else,
 * and cross-site posts are refused by their Origin in server/http.ts. Rate-limited per client.
 */
export async function action({ params, context }: Route.ActionArgs) {
  const limit = await hitRateLimit(context.services.db, `share-link:${context.clientIp}`, { limit: 20, windowSeconds: 3600 });
  if (!limit.allowed) throw data(null, { status: 429 });
  try {
    const { code, key } = await createShareLink(context.services.db, context.services.sessionSecret, params.slug);
    const base = context.services.config.publicUrl;
    return data({ link: `${base}/s/${code}`, page: `${base}/partage/${key}` }, { headers: noStore });
  } catch {
    throw data(null, { status: 404 });
  }
}

/** Private or one-off answers: never kept by a browser or a shared cache. */
export function headers() {
  return { "Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "same-origin" };
}

export default function NewShareLink() {
  const t = useT();
  const { slug, firstName } = useLoaderData<typeof loader>();
  return (
    <NewShareLinkPage
      created={useActionData<typeof action>()}
      intro={t("shareLink.intro", { firstName })}
      yourLink={t("shareLink.yourLink", { firstName })}
      action={`/cv/${slug}/mon-lien`}
      back={{ to: `/cv/${slug}`, label: t("shareLink.backToCv", { firstName }) }}
    />
  );
}
