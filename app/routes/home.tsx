import { Link } from "react-router";
import { useRootData, useT } from "~/ui/i18n";

export default function Home() {
  const t = useT();
  const { user } = useRootData();
  return (
    <>
      <title>{`${t("app.name")} — ${t("home.title")}`}</title>
      <meta name="description" content={t("app.tagline")} />
      <h1>{t("home.title")}</h1>
      <p>{t("home.intro")}</p>
      <h2>{t("home.how")}</h2>
      <ol className="steps">
        <li>{t("home.step1")}</li>
        <li>{t("home.step2")}</li>
        <li>{t("home.step3")}</li>
        <li>{t("home.step4")}</li>
      </ol>
      <h2>{t("home.figures")}</h2>
      <p className="muted">{t("home.figuresSoon")}</p>
      {!user && (
        <p>
          <Link className="button button-secondary" to="/connexion">
            {t("nav.signIn")}
          </Link>
        </p>
      )}
    </>
  );
}
