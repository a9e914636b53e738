import { Link } from "react-router";
import type { MessageKey } from "~/i18n";
import { useT } from "~/ui/i18n";

const faq: [MessageKey, MessageKey][] = [
  ["employers.q1", "employers.a1"],
  ["employers.q2", "employers.a2"],
  ["employers.q3", "employers.a3"],
  ["employers.q4", "employers.a4"],
];

/** Resources for inclusive employers: how it works, the support before and after the hire, answers. */
export default function Employers() {
  const t = useT();
  return (
    <>
      <title>{`${t("employers.title")} — LinkedOut`}</title>
      <meta name="description" content={t("employers.intro")} />
      <h1>{t("employers.title")}</h1>
      <p>{t("employers.intro")}</p>
      <h2>{t("employers.how")}</h2>
      <ol className="steps">
        <li>{t("employers.how1")}</li>
        <li>{t("employers.how2")}</li>
        <li>{t("employers.how3")}</li>
        <li>{t("employers.how4")}</li>
      </ol>
      <h2>{t("employers.support")}</h2>
      <ul>
        <li>{t("employers.support1")}</li>
        <li>{t("employers.support2")}</li>
        <li>{t("employers.support3")}</li>
      </ul>
      <h2>{t("employers.faq")}</h2>
      {faq.map(([question, answer]) => (
        <details key={question} className="card faq">
          <summary>{t(question)}</summary>
          <p>{t(answer)}</p>
        </details>
      ))}
      <p className="button-row">
        <Link className="button" to="/offres/nouvelle">
          {t("employers.sendOffer")}
        </Link>
        <Link className="button button-secondary" to="/candidats">
          {t("employers.seeCvs")}
        </Link>
      </p>
    </>
  );
}
