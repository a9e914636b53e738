import { data, useActionData, useLoaderData } from "react-router";
import { hitRateLimit } from "~/domain/accounts/rate-limit";
import { createCohortShareLink, findCohort } from "~/domain/sharing/share-links";
import { useT } from "~/ui/i18n";
import { NewShareLinkPage } from "~/ui/new-share-link";
import type { Route } from "./+types/share-link-new-cohort";

const noStore = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };

export async function loader({ params, context }: Route.LoaderArgs) {
  const cohort = await findCohort(context.services.db, params.slug);
  if (!cohort) throw data(null, { status: 404 });
  return data({ slug: cohort.slug, name: cohort.name }, { headers: noStore });
}

/**
 * Anyone gets their own link to a cohort page, without an account: the same plain form, rate
 * limit and reasons as for a CV (share-link-new.tsx).
 */
export async function action({ params, context }: Route.ActionArgs) {
  const limit = await hitRateLimit(context.services.db, `share-link:${context.clientIp}`, { limit: 20, windowSeconds: 3600 });
  if (!limit.allowed) throw data(null, { status: 429 });
  try {
    const { code, key } = await createCohortShareLink(context.services.db, context.services.sessionSecret, params.slug);
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

export default function NewCohortShareLink() {
  const t = useT();
  const { slug, name } = useLoaderData<typeof loader>();
  return (
    <NewShareLinkPage
      created={useActionData<typeof action>()}
      intro={t("shareLink.cohortIntro", { name })}
      yourLink={t("shareLink.cohortYourLink", { name })}
      action={`/promo/${slug}/mon-lien`}
      back={{ to: `/promo/${slug}`, label: t("shareLink.backToCohort", { name }) }}
    />
  );
}
