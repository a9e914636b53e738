import { data, useLoaderData } from "react-router";
import { publicCohort } from "~/domain/sharing/cohorts";
import { cohortShareLinkOnPage } from "~/domain/sharing/share-links";
import type { MessageKey } from "~/i18n";
import { CvCard } from "~/ui/cv-card";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/cohort";

const cohortNetworks = ["linkedin", "facebook", "whatsapp", "x", "email"] as const;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const cohort = await publicCohort(context.services.db, params.slug);
  if (!cohort) throw data(null, { status: 404 });
  // Arrived through someone's link to this cohort: its CVs' pages and re-shares carry the code.
  const link = await cohortShareLinkOnPage(context.services.db, cohort.id, new URL(request.url).searchParams.get("via"));
  return { cohort, publicUrl: context.services.config.publicUrl, via: link?.code ?? null };
}

export function meta({ data: loaded }: Route.MetaArgs) {
  if (!loaded) return [{ name: "robots", content: "noindex" }];
  const url = `${loaded.publicUrl}/promo/${loaded.cohort.slug}`;
  return [
    { title: `${loaded.cohort.name} — LinkedOut` },
    { name: "description", content: loaded.cohort.description.slice(0, 200) },
    { property: "og:title", content: loaded.cohort.name },
    { property: "og:url", content: url },
    { tagName: "link", rel: "canonical", href: url },
  ];
}

/** A cohort's page: its published CVs, its measured figures and one button to share it whole. */
export default function CohortPage() {
  const t = useT();
  const { cohort, via } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{cohort.name}</h1>
      {cohort.description && <p>{cohort.description}</p>}
      <ul className="figures">
        <li>{t("cohorts.figurePublished", { count: cohort.figures.publishedCvs })}</li>
        <li>{t("cohorts.figureViews", { count: cohort.figures.views })}</li>
        <li>{t("cohorts.figureShares", { count: cohort.figures.shares })}</li>
      </ul>
      <section aria-labelledby="cohort-share" className="card">
        <h2 id="cohort-share">{t("cohorts.shareTitle")}</h2>
        <ul className="share-list">
          {cohortNetworks.map((network) => (
            <li key={network}>
              <a className="share-button" href={`/partager-promo/${cohort.slug}/${network}`} target="_blank" rel="noopener nofollow">
                {t(`share.network.${network}` as MessageKey)}
              </a>
            </li>
          ))}
        </ul>
        {/* A plain form, as on the CV page (share-link-new-cohort.tsx says why). */}
        <form method="post" action={`/promo/${cohort.slug}/mon-lien`} className="share-link-form">
          <button type="submit" className="button button-secondary">
            {t("shareLink.get")}
          </button>
        </form>
      </section>
      {cohort.cvs.length > 0 ? (
        <ul className="card-list">
          {cohort.cvs.map((cv) => (
            <CvCard key={cv.slug} cv={cv} via={via} level={2} />
          ))}
        </ul>
      ) : (
        <p>{t("cohorts.empty")}</p>
      )}
    </>
  );
}
