import { Link } from "react-router";
import { Notice } from "~/ui/forms";
import { useT } from "~/ui/i18n";

/**
 * After an offer is sent (post, then redirect here). The same page whatever happened to the
 * offer — waiting for staff, or held back as likely spam — so a robot learns nothing from it.
 */
export function headers() {
  return { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };
}

export default function OfferSent() {
  const t = useT();
  return (
    <>
      <title>{`${t("offerSent.title")} — LinkedOut`}</title>
      <meta name="robots" content="noindex" />
      <h1>{t("offerSent.title")}</h1>
      <Notice>
        <p>{t("offerSent.text")}</p>
        <p>{t("offerSent.email")}</p>
      </Notice>
      <p className="button-row">
        <Link className="button" to="/candidats">
          {t("offerSent.seeCvs")}
        </Link>
        <Link className="button button-secondary" to="/offres/nouvelle">
          {t("offerSent.another")}
        </Link>
      </p>
    </>
  );
}
