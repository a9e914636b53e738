import { data, Link, redirect, useLoaderData } from "react-router";
import { confirmNews, newsPending } from "~/domain/sharing/share-link-news";
import { formFailure, readForm } from "~/http/forms.server";
import { CsrfForm } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/share-link-confirm";

/**
 * The confirmation link of the news e-mail. Opening it shows a button; the POST confirms. A
 * mail scanner that follows every link therefore cannot subscribe anyone on its own.
 */
export async function loader({ params, context }: Route.LoaderArgs) {
  if (!(await newsPending(context.services, params.key, params.token))) throw data(null, { status: 404 });
  return { key: params.key };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  try {
    await readForm(request, context);
  } catch (error) {
    return formFailure(error);
  }
  if (!(await confirmNews(context.services, params.key, params.token))) throw data(null, { status: 404 });
  return redirect(`/partage/${params.key}`);
}

export function headers() {
  return { "Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "same-origin" };
}

export default function ConfirmNews() {
  const t = useT();
  const { key } = useLoaderData<typeof loader>();
  return (
    <>
      <title>{`${t("shareLink.confirmTitle")} — LinkedOut`}</title>
      <meta name="robots" content="noindex" />
      <h1>{t("shareLink.confirmTitle")}</h1>
      <p>{t("shareLink.confirmIntro")}</p>
      <CsrfForm>
        <button type="submit" className="button">
          {t("shareLink.confirmButton")}
        </button>
      </CsrfForm>
      <p>
        <Link to={`/partage/${key}`}>{t("shareLink.reportTitle")}</Link>
      </p>
    </>
  );
}
