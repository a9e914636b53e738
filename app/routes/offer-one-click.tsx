import { data, Link, useActionData, useLoaderData } from "react-router";
import { readOneClickLink, type OneClickLink } from "~/domain/offers/one-click";
import { applyOneClickLink } from "~/domain/offers/one-click-apply.server";
import { formFailure, readForm } from "~/http/forms.server";
import { CsrfForm, ErrorSummary } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import { RecruiterContact, type RecruiterContactDetails } from "~/ui/recruiter-contact";
import type { Route } from "./+types/offer-one-click";

/**
 * A one-click answer from a candidate's e-mail ("J'ai contacté le recruteur", "Je suis
 * intéressé·e"), without signing in. Opening the link only shows the offer and one big button:
 * mail scanners follow every link, so only the POST changes the follow-up. A tampered or unknown
 * link gets a kind 404 page, an expired one a 410; neither changes anything.
 */
type Shown = OneClickLink & { changed?: boolean };

const statusOf = (link: Shown) => (link.state === "invalid" ? 404 : link.state === "expired" ? 410 : 200);

export async function loader({ params, context }: Route.LoaderArgs) {
  const link: Shown = await readOneClickLink(context.services, params.token);
  return data({ link }, { status: statusOf(link) });
}

export async function action({ request, params, context }: Route.ActionArgs) {
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const link: Shown = await applyOneClickLink(context.services, params.token);
    return data({ link, errors: undefined }, { status: link.state === "moved_on" ? 409 : statusOf(link) });
  } catch (error) {
    return formFailure(error, form);
  }
}

export function headers() {
  // The token is in the address: never cached, indexed, or passed on to another site. ("no-referrer"
  // would make the browser post `Origin: null`, which is refused for the form.)
  return { "Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "same-origin" };
}

export default function OfferOneClick() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const link: Shown = result && "link" in result ? result.link : loaded.link;
  const errors = result && "errors" in result ? result.errors : undefined;
  if (link.state === "invalid") return <Message title={t("oneClick.notFoundTitle")} text={t("oneClick.notFoundText")} />;
  if (link.state === "expired") return <Message title={t("oneClick.expiredTitle")} text={t("oneClick.expiredText")} />;
  const signIn = `/connexion?retour=${encodeURIComponent(`/espace/offres/${link.candidateId}/${link.offerId}`)}`;
  const offer = (
    <p>
      <strong>{t("oneClick.offer", link.offer)}</strong>
    </p>
  );
  if (link.state === "open") {
    return (
      <>
        <Head title={t("oneClick.title")} />
        <h1>{t("oneClick.title")}</h1>
        <ErrorSummary errors={errors} labels={{}} />
        {offer}
        <p>{t(`oneClick.question.${link.action}`)}</p>
        <CsrfForm>
          <button type="submit" className="button">
            {t(`oneClick.button.${link.action}`)}
          </button>
        </CsrfForm>
      </>
    );
  }
  const title = link.state === "moved_on" ? t("oneClick.movedOnTitle") : link.changed ? t("oneClick.doneTitle") : t("oneClick.alreadyTitle");
  const text = link.state === "moved_on" ? t("oneClick.movedOnText") : link.changed ? t(`oneClick.done.${link.action}`) : t("oneClick.alreadyText");
  return (
    <>
      <Head title={title} />
      <h1>{title}</h1>
      {offer}
      <p role="status">{text}</p>
      {link.contact && <Contact contact={link.contact} />}
      <p>
        <Link className="button button-secondary" to={signIn}>
          {t("oneClick.signIn")}
        </Link>
      </p>
    </>
  );
}

/** The recruiter's contact, revealed now that the candidate engaged (as on their signed-in page). */
function Contact({ contact }: { contact: RecruiterContactDetails }) {
  const t = useT();
  return (
    <section aria-labelledby="contact-title" className="card">
      <h2 id="contact-title">{t("offers.offer.contactTitle")}</h2>
      <RecruiterContact contact={contact} />
    </section>
  );
}

function Head({ title }: { title: string }) {
  return (
    <>
      <title>{`${title} — LinkedOut`}</title>
      <meta name="robots" content="noindex" />
    </>
  );
}

function Message({ title, text }: { title: string; text: string }) {
  const t = useT();
  return (
    <>
      <Head title={title} />
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <Link to="/connexion">{t("nav.signIn")}</Link>
      </p>
    </>
  );
}
