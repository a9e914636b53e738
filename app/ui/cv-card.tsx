import { Link } from "react-router";
import type { PublicCv } from "~/domain/cv/public-cv";
import type { MessageKey } from "~/i18n";
import { useT } from "./i18n";
import { ShareButtons } from "./share-buttons";

/**
 * A gallery card: public data only (it takes a PublicCv, nothing else). `via` is the personal
 * share link the visitor came through (a cohort's): the CV's page and re-shares carry it.
 * `level` is the card's heading level, one below the heading the list sits under (2 right under
 * the page's h1): each page says it, so no page skips a level.
 */
export function CvCard({ cv, via = null, level }: { cv: PublicCv; via?: string | null; level: 2 | 3 }) {
  const t = useT();
  const Heading = level === 2 ? "h2" : "h3";
  const viaQuery = via ? `?via=${via}` : "";
  const goal = cv.goals[0];
  return (
    <li className="card cv-card">
      {cv.photoUrl ? <img src={cv.photoUrl} alt="" width={96} height={96} loading="lazy" /> : <div className="cv-card-placeholder" aria-hidden="true">{cv.firstName.charAt(0)}</div>}
      <div>
        <Heading className="cv-card-name">
          <Link to={`/cv/${cv.slug}${viaQuery}`}>
            {cv.firstName} {cv.lastInitial}
          </Link>
        </Heading>
        <p className="catchphrase">{cv.catchphrase}</p>
        {goal && <p className="muted">{t("publicCv.wouldLike", { businessLine: t(`businessLine.${goal.businessLine}` as MessageKey).toLowerCase(), job: goal.job })}</p>}
        <ShareButtons cv={cv} compact via={via} />
      </div>
    </li>
  );
}
