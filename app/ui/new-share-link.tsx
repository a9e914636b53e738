import { Link } from "react-router";
import { useT } from "./i18n";

/**
 * The page where anyone gets their own share link (to a CV or to a cohort page): a plain form
 * first, then the link to share and the private page, shown once.
 */
export function NewShareLinkPage({
  created,
  intro,
  yourLink,
  action,
  back,
}: {
  created: { link: string; page: string } | undefined;
  intro: string;
  yourLink: string;
  action: string;
  back: { to: string; label: string };
}) {
  const t = useT();
  return (
    <>
      <title>{`${t("shareLink.title")} — LinkedOut`}</title>
      <meta name="robots" content="noindex" />
      <h1>{t("shareLink.title")}</h1>
      {created ? (
        <>
          <p>{yourLink}</p>
          <p>
            <a href={created.link} className="share-link-code">
              {created.link}
            </a>
          </p>
          <p>{t("shareLink.yourPage")}</p>
          <p>
            <a href={created.page}>{created.page}</a>
          </p>
          <p className="alert">{t("shareLink.keepIt")}</p>
        </>
      ) : (
        <>
          <p>{intro}</p>
          <form method="post" action={action}>
            <button type="submit" className="button">
              {t("shareLink.get")}
            </button>
          </form>
        </>
      )}
      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
    </>
  );
}
