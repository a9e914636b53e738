import { data, Link, useLoaderData } from "react-router";
import { findPublicCv, otherCvs } from "~/domain/cv/public-reads";
import type { PublicCv } from "~/domain/cv/public-cv";
import { departmentLabel } from "~/domain/reference/departments";
import { formatDate, type MessageKey } from "~/i18n";
import { CvCard } from "~/ui/cv-card";
import { shareLinkOnPage } from "~/domain/sharing/share-links";
import { ShareButtons } from "~/ui/share-buttons";
import { useLocale, useT } from "~/ui/i18n";
import type { Route } from "./+types/public-cv";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const found = await findPublicCv(context.services.db, params.slug);
  const publicUrl = context.services.config.publicUrl;
  if (found && "cv" in found) {
    // Arrived through a personal share link: the pixel and the share buttons carry its code on.
    // (Only /cv/:slug without a query is cached, so these renders are never shared between visitors.)
    const via = new URL(request.url).searchParams.get("via");
    const [next, link] = await Promise.all([otherCvs(context.services.db, params.slug, 1), shareLinkOnPage(context.services.db, params.slug, via)]);
    return { cv: found.cv, publicUrl, next: next[0] ?? null, via: link?.code ?? null };
  }
  // A kind page, never a dead end: other CVs to share instead. 410 when the CV existed.
  const others = await otherCvs(context.services.db, params.slug);
  throw data({ gone: found?.gone ?? null, others }, { status: found ? 410 : 404, headers: { "X-Robots-Tag": "noindex" } });
}

export function meta({ data: loaded }: Route.MetaArgs) {
  if (!loaded) return [{ name: "robots", content: "noindex" }];
  const { cv, publicUrl } = loaded;
  const url = `${publicUrl}/cv/${cv.slug}`;
  const title = `${cv.firstName} ${cv.lastInitial} — ${cv.catchphrase || "LinkedOut"}`;
  const description = cv.story.slice(0, 200) || cv.catchphrase;
  return [
    { title: `${title} — LinkedOut` },
    { name: "description", content: description },
    { property: "og:type", content: "profile" },
    { property: "og:title", content: title },
    { property: "og:description", content: description },
    { property: "og:image", content: `${url}/apercu.png` },
    { property: "og:image:width", content: "1200" },
    { property: "og:image:height", content: "630" },
    { property: "og:url", content: url },
    { name: "twitter:card", content: "summary_large_image" },
    { tagName: "link", rel: "canonical", href: url },
  ];
}

export default function PublicCvPage() {
  const t = useT();
  const locale = useLocale();
  const { cv, next, via } = useLoaderData<typeof loader>();
  const viaQuery = via ? `?via=${via}` : "";
  const experiences = cv.experiences;
  return (
    <article className="public-cv">
      <header className="cv-head">
        {cv.photoUrl && <img src={cv.photoUrl} alt={t("publicCv.photoAlt", { firstName: cv.firstName })} width={160} height={160} />}
        <div>
          <h1>
            {cv.firstName} {cv.lastInitial}
          </h1>
          {cv.catchphrase && <p className="catchphrase">« {cv.catchphrase} »</p>}
          {cv.goals.map((g, i) => (
            <p key={i} className="goal">
              {t("publicCv.wouldLike", { businessLine: t(`businessLine.${g.businessLine}` as MessageKey).toLowerCase(), job: g.job })}
            </p>
          ))}
        </div>
      </header>
      <Employment cv={cv} locale={locale} />
      {/* Counts the view without JavaScript, even when this page comes from a cache. */}
      <img className="beacon" src={`/cv/${cv.slug}/vu.gif${viaQuery}`} alt="" width={1} height={1} />
      <section aria-labelledby="share-title" className="card">
        <h2 id="share-title">{t("share.title")}</h2>
        <p>{t("share.intro", { firstName: cv.firstName })}</p>
        <ShareButtons cv={cv} next={next} via={via} />
        {/* A plain form (no CSRF token: this page may come from the cache), see share-link-new.tsx. */}
        <form method="post" action={`/cv/${cv.slug}/mon-lien`} className="share-link-form">
          <button type="submit" className="button button-secondary">
            {t("shareLink.get")}
          </button>
        </form>
      </section>
      <p className="button-row">
        <Link className="button" to={`/offres/nouvelle?candidat=${cv.slug}${via ? `&via=${via}` : ""}`}>
          {t("publicCv.sendOffer", { firstName: cv.firstName })}
        </Link>
        <a className="button button-secondary" href={`/cv/${cv.slug}/cv.pdf`}>
          {t("publicCv.downloadPdf")}
        </a>
      </p>
      {experiences.length > 0 && (
        <section>
          <h2>{t("publicCv.experiences")}</h2>
          <ul className="timeline">
            {experiences.map((e, i) => (
              <li key={i}>
                <strong>{e.title}</strong>
                {e.organisation && ` — ${e.organisation}`}
                {e.place && `, ${e.place}`}
                {(e.start || e.end) && <span className="muted"> ({[e.start.slice(0, 4), e.end.slice(0, 4)].filter(Boolean).join(" – ")})</span>}
                {e.description && <p>{e.description}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {cv.story && (
        <section>
          <h2>{t("publicCv.story")}</h2>
          {cv.story.split(/\n+/).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </section>
      )}
      {cv.testimonials.length > 0 && (
        <section>
          <h2>{t("publicCv.testimonials")}</h2>
          {cv.testimonials.map((item, i) => (
            <blockquote key={i}>
              <p>« {item.text} »</p>
              <footer>
                — {item.name}
                {item.relation && `, ${item.relation}`}
              </footer>
            </blockquote>
          ))}
        </section>
      )}
      <section>
        <h2>{t("publicCv.practical")}</h2>
        <dl className="facts">
          {cv.contracts.length > 0 && (
            <>
              <dt>{t("publicCv.contracts")}</dt>
              <dd>{cv.contracts.map((c) => t(`contract.${c}` as MessageKey)).join(", ")}</dd>
            </>
          )}
          {cv.departments.length > 0 && (
            <>
              <dt>{t("publicCv.departments")}</dt>
              <dd>{cv.departments.map(departmentLabel).join(", ")}</dd>
            </>
          )}
          {cv.availability && (
            <>
              <dt>{t("publicCv.availability")}</dt>
              <dd>{cv.availability}</dd>
            </>
          )}
          {(cv.transport || cv.drivingLicence) && (
            <>
              <dt>{t("publicCv.transport")}</dt>
              <dd>{[cv.transport, cv.drivingLicence ? t("publicCv.licence") : ""].filter(Boolean).join(" — ")}</dd>
            </>
          )}
          {cv.languages.length > 0 && (
            <>
              <dt>{t("publicCv.languages")}</dt>
              <dd>{cv.languages.map((l) => [l.name, l.level].filter(Boolean).join(" : ")).join(", ")}</dd>
            </>
          )}
        </dl>
      </section>
      {cv.skills.length > 0 && (
        <section>
          <h2>{t("publicCv.skills")}</h2>
          <ul className="tags">
            {cv.skills.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        </section>
      )}
      {cv.passions.length > 0 && (
        <section>
          <h2>{t("publicCv.passions")}</h2>
          <ul className="tags">
            {cv.passions.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}

function Employment({ cv, locale }: { cv: PublicCv; locale: "fr" | "en" }) {
  const t = useT();
  if (cv.employment.status !== "employed") return null;
  return (
    <p className="alert alert-success">
      {cv.employment.until
        ? t("publicCv.employedUntil", { firstName: cv.firstName, date: formatDate(locale, new Date(cv.employment.until)) })
        : t("publicCv.employed", { firstName: cv.firstName })}
    </p>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const t = useT();
  const payload = (error as { data?: { gone: "unavailable" | "employed" | null; others: PublicCv[] } })?.data;
  const title = payload?.gone ? t("publicCv.gone") : t("publicCv.notFound");
  return (
    <>
      <title>{`${title} — LinkedOut`}</title>
      <meta name="robots" content="noindex" />
      <h1>{title}</h1>
      {payload?.gone === "employed" && <p>{t("publicCv.goneEmployed")}</p>}
      {payload && payload.others.length > 0 && (
        <>
          <p>{t("publicCv.goneText")}</p>
          <ul className="card-list">
            {payload.others.map((cv) => (
              <CvCard key={cv.slug} cv={cv} level={2} />
            ))}
          </ul>
        </>
      )}
      <p>
        <Link to="/candidats">{t("publicCv.seeAll")}</Link>
      </p>
    </>
  );
}
