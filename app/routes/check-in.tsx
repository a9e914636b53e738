import { data, Link, redirect, useActionData, useLoaderData } from "react-router";
import { answerCheckIn, readCheckInLink, type CheckInLink } from "~/domain/offers/check-ins";
import { formFailure, readForm } from "~/http/forms.server";
import { CsrfForm, ErrorSummary } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/check-in";

/**
 * The answer link of a post-hire check-in, opened from an e-mail without signing in. Opening
 * it only shows the question with the chosen answer ticked and one button: mail scanners follow
 * every link, so only the POST records (once). A used, expired or unknown link gets a kind page
 * (410 or 404) and changes nothing.
 */
const statusOf = (link: CheckInLink, recorded: boolean) =>
  link.state === "open" || (link.state === "answered" && recorded) ? 200 : link.state === "not_found" ? 404 : 410;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const link = await readCheckInLink(context.services.db, params.token);
  const url = new URL(request.url);
  const chosen = url.searchParams.get("reponse");
  // Set by our own redirect after a POST: the answer just given is thanked, not refused.
  const recorded = url.searchParams.has("enregistre");
  return data({ link, chosen: chosen === "fine" || chosen === "need_talk" ? chosen : null, recorded }, { status: statusOf(link, recorded) });
}

export async function action({ request, params, context }: Route.ActionArgs) {
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const result = await answerCheckIn(context.services.db, params.token, form.get("answer"));
    if (result.state !== "recorded") return data({ refused: result, errors: undefined }, { status: statusOf(result, false) });
    return redirect(`/suivi-embauche/${params.token}?reponse=${result.answer}&enregistre`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export function headers() {
  // The token is in the address: never cached, indexed, or passed on to another site. ("no-referrer"
  // would make the browser post `Origin: null`, which React Router refuses for the answer's form.)
  return { "Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "same-origin" };
}

export default function CheckIn() {
  const t = useT();
  const { link: loaded, chosen, recorded } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const link = result && "refused" in result && result.refused ? result.refused : loaded;
  const errors = result && "errors" in result ? result.errors : undefined;
  if (link.state === "not_found") return <Message title={t("checkIn.notFoundTitle")} text={t("checkIn.notFoundText")} />;
  if (link.state === "expired") return <Message title={t("checkIn.expiredTitle")} text={t("checkIn.expiredText")} />;
  if (link.state === "answered") {
    return recorded && !result ? (
      <Message title={t("checkIn.thanksTitle")} text={t(`checkIn.thanks.${link.answer}`)} />
    ) : (
      <Message title={t("checkIn.usedTitle")} text={t("checkIn.usedText")} />
    );
  }
  const vars = { period: t(`checkIn.period.${link.months}` as "checkIn.period.1"), employer: link.employerName || t("checkIn.yourEmployer"), candidateFirstName: link.candidateFirstName };
  return (
    <>
      <title>{`${t("checkIn.title")} — LinkedOut`}</title>
      <meta name="robots" content="noindex" />
      <h1>{t("checkIn.title")}</h1>
      <ErrorSummary errors={errors} labels={{ answer: "checkIn.answerLegend" }} />
      <p>{t(link.party === "employer" ? "checkIn.questionEmployer" : "checkIn.questionCandidate", vars)}</p>
      <CsrfForm>
        <fieldset id="field-answer">
          <legend>{t("checkIn.answerLegend")}</legend>
          {(["fine", "need_talk"] as const).map((answer) => (
            <div className="checkbox" key={answer}>
              <input type="radio" id={`answer-${answer}`} name="answer" value={answer} defaultChecked={chosen === answer} required />
              <label htmlFor={`answer-${answer}`}>{t(`checkIn.answer.${answer}`)}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" className="button">
          {t("checkIn.submit")}
        </button>
      </CsrfForm>
    </>
  );
}

function Message({ title, text }: { title: string; text: string }) {
  const t = useT();
  return (
    <>
      <title>{`${title} — LinkedOut`}</title>
      <meta name="robots" content="noindex" />
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <Link to="/">{t("notFound.home")}</Link>
      </p>
    </>
  );
}
