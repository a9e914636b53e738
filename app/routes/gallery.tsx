import { Link, useLoaderData } from "react-router";
import { galleryFiltersSchema, nearbySuggestions, searchGallery } from "~/domain/cv/public-reads";
import { departments, regions } from "~/domain/reference/departments";
import { businessLines, contractTypes } from "~/domain/reference/lists";
import type { MessageKey } from "~/i18n";
import { CvCard } from "~/ui/cv-card";
import { SelectField, TextField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/gallery";

export async function loader({ request, context }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const filters = galleryFiltersSchema.parse(Object.fromEntries(url.searchParams));
  // The shuffle seed travels in the "Voir plus" links: stable order while one visitor pages through.
  const seed = filters.graine ?? Math.floor(Math.random() * 2_147_483_647);
  const { cards, hasMore } = await searchGallery(context.services.db, filters, seed);
  const nearby = cards.length === 0 && filters.page === 1 ? await nearbySuggestions(context.services.db, filters, seed) : [];
  const next = new URLSearchParams(url.searchParams);
  next.set("page", String(filters.page + 1));
  next.set("graine", String(seed));
  return { cards, hasMore, nearby, filters, nextLink: `?${next}` };
}

export default function Gallery() {
  const t = useT();
  const { cards, hasMore, nearby, filters, nextLink } = useLoaderData<typeof loader>();
  return (
    <>
      <title>{`${t("gallery.title")} — LinkedOut`}</title>
      <h1>{t("gallery.title")}</h1>
      <p>{t("gallery.intro")}</p>
      <form method="get" className="filters" role="search">
        <TextField name="q" type="search" label="gallery.search" defaultValue={filters.q} maxLength={100} />
        {/* On a small phone the CVs come first: the filters fold away until asked for. */}
        <details className="filters-more" open={Boolean(filters.metier || filters.region || filters.departement || filters.contrat || filters.tous)}>
        <summary>{t("gallery.moreFilters")}</summary>
        <SelectField name="metier" label="gallery.businessLine" defaultValue={filters.metier ?? ""}>
          <option value="">{t("gallery.allBusinessLines")}</option>
          {businessLines.map((line) => (
            <option key={line} value={line}>
              {t(`businessLine.${line}` as MessageKey)}
            </option>
          ))}
        </SelectField>
        <SelectField name="region" label="gallery.region" defaultValue={filters.region ?? ""}>
          <option value="">{t("gallery.allRegions")}</option>
          {Object.entries(regions).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </SelectField>
        <SelectField name="departement" label="gallery.department" defaultValue={filters.departement ?? ""}>
          <option value="">{t("gallery.allDepartments")}</option>
          {departments.map((d) => (
            <option key={d.code} value={d.code}>
              {d.name} ({d.code})
            </option>
          ))}
        </SelectField>
        <SelectField name="contrat" label="gallery.contract" defaultValue={filters.contrat ?? ""}>
          <option value="">{t("gallery.allContracts")}</option>
          {contractTypes.map((c) => (
            <option key={c} value={c}>
              {t(`contract.${c}` as MessageKey)}
            </option>
          ))}
        </SelectField>
        <label className="checkbox">
          <input type="checkbox" name="tous" value="1" defaultChecked={filters.tous === "1"} /> {t("gallery.showEmployed")}
        </label>
        </details>
        <div className="field">
          <button type="submit" className="button">
            {t("gallery.apply")}
          </button>
        </div>
      </form>
      {cards.length === 0 ? (
        <>
          <p>{t("gallery.none")}</p>
          {nearby.length > 0 && (
            <>
              <h2>{t("gallery.nearby")}</h2>
              <ul className="card-list">
                {nearby.map((cv) => (
                  <CvCard key={cv.slug} cv={cv} level={3} />
                ))}
              </ul>
            </>
          )}
        </>
      ) : (
        <ul className="card-list cv-grid">
          {cards.map((cv) => (
            <CvCard key={cv.slug} cv={cv} level={2} />
          ))}
        </ul>
      )}
      {hasMore && (
        <p>
          <Link className="button button-secondary" to={nextLink}>
            {t("gallery.more")}
          </Link>
        </p>
      )}
    </>
  );
}
