import { Link, redirect, useActionData, useLoaderData } from "react-router";
import { stopNews } from "~/domain/sharing/share-link-news";
import { shareLinkReport } from "~/domain/sharing/share-links";
import { formFailure, orNotFound, readForm } from "~/http/forms.server";
import { CsrfForm, ErrorSummary } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/share-link-stop";

/**
 * "Ne plus recevoir", the link in every news e-mail: opening it shows one button, the POST
 * forgets the address (a mail scanner following links stops nothing on its own). Only the key
 * holder reaches it; a wrong key is a 404.
 */
export async function loader({ params, context }: Route.LoaderArgs) {
  await orNotFound(() => shareLinkReport(context.services.db, params.key));
  return { key: params.key };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  try {
    await readForm(request, context);
    await stopNews(context.services, params.key);
    return redirect(`/partage/${params.key}?nouvelles=arretees`);
  } catch (error) {
    return formFailure(error);
  }
}

export function headers() {
  return { "Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "same-origin" };
}

export default function StopNews() {
  const t = useT();
  const { key } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <title>{`${t("shareLink.stopTitle")} — LinkedOut`}</title>
      <meta name="robots" content="noindex" />
      <h1>{t("shareLink.stopTitle")}</h1>
      <p>{t("shareLink.stopIntro")}</p>
      <ErrorSummary errors={result?.errors} labels={{}} />
      <CsrfForm>
        <button type="submit" className="button">
          {t("shareLink.newsStop")}
        </button>
      </CsrfForm>
      <p>
        <Link to={`/partage/${key}`}>{t("shareLink.reportTitle")}</Link>
      </p>
    </>
  );
}
