import { Link, useLoaderData } from "react-router";
import { z } from "zod";
import { diffContents, getVersion, listVersions } from "~/domain/cv/cvs";
import { orNotFound } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";
import { formatDateTime } from "~/i18n";
import { CvSectionValue, cvSectionLabels } from "~/ui/cv-section-value";
import { SelectField } from "~/ui/forms";
import { useLocale, useT } from "~/ui/i18n";
import type { Route } from "./+types/cv-versions";


/** Every saved version of a CV (coach and staff), and what changed between two, section by section. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  const db = context.services.db;
  const { versions } = await orNotFound(() => listVersions(db, user, params.candidateId));
  const url = new URL(request.url);
  const revision = z.coerce.number().int().min(0).max(2_147_483_647);
  const newest = versions[0]?.revision ?? 0;
  const to = revision.catch(newest).parse(url.searchParams.get("a") ?? newest);
  const from = revision.catch(Math.max(0, to - 1)).parse(url.searchParams.get("de") ?? Math.max(0, to - 1));
  const [before, after] = await Promise.all([
    orNotFound(() => getVersion(db, user, params.candidateId, from)),
    orNotFound(() => getVersion(db, user, params.candidateId, to)),
  ]);
  return {
    candidateId: params.candidateId,
    versions: versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
    from,
    to,
    diff: diffContents(before.content, after.content),
  };
}

export default function CvVersions() {
  const t = useT();
  const locale = useLocale();
  const { candidateId, versions, from, to, diff } = useLoaderData<typeof loader>();
  const published = versions.find((v) => v.published)?.revision ?? null;
  /** "Version 3", or "Version 3 (publiée)" for the one the public sees. */
  const versionName = (n: number) => (n === published ? t("versions.revisionPublished", { n }) : t("versions.revision", { n }));
  const revisionOptions = versions.map((v) => (
    <option key={v.revision} value={v.revision}>
      {versionName(v.revision)}
    </option>
  ));
  return (
    <>
      <title>{`${t("editor.versions")} — LinkedOut`}</title>
      <h1>{t("editor.versions")}</h1>
      <p>
        <Link to="..">{t("versions.back")}</Link>
      </p>
      <form method="get" className="filters">
        <SelectField name="de" label="versions.from" defaultValue={String(from)}>
          {revisionOptions}
        </SelectField>
        <SelectField name="a" label="versions.to" defaultValue={String(to)}>
          {revisionOptions}
        </SelectField>
        <div className="field">
          <button type="submit" className="button button-secondary">
            {t("versions.compare")}
          </button>
        </div>
      </form>
      {diff.length === 0 ? (
        <p>{t("versions.noChange")}</p>
      ) : (
        diff.map((d) => (
          <section key={d.section} className="card diff">
            <h2>{t(cvSectionLabels[d.section])}</h2>
            <div className="field-pair">
              <div>
                <h3>{t("versions.beforeOf", { version: versionName(from) })}</h3>
                <CvSectionValue section={d.section} value={d.before} candidateId={candidateId} t={t} locale={locale} />
              </div>
              <div>
                <h3>{t("versions.afterOf", { version: versionName(to) })}</h3>
                <CvSectionValue section={d.section} value={d.after} candidateId={candidateId} t={t} locale={locale} />
              </div>
            </div>
          </section>
        ))
      )}
      <h2>{t("editor.history")}</h2>
      <ul>
        {versions.map((v) => (
          <li key={v.revision}>
            <Link to={`?de=${Math.max(0, v.revision - 1)}&a=${v.revision}`}>{t("versions.revision", { n: v.revision })}</Link> — {formatDateTime(locale, new Date(v.createdAt))}
            {v.authorFirstName && ` ${t("versions.by", { name: `${v.authorFirstName} ${v.authorLastName}` })}`}
            {v.published && (
              <>
                {" "}
                <strong className="tag">{t("versions.publishedTag")}</strong>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
