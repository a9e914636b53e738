import { data, Link, redirect, useActionData, useLoaderData, useSearchParams } from "react-router";
import { getOutboxMessage, resendOutboxMessage } from "~/domain/email/outbox";
import { AppError } from "~/http/app-error";
import { formFailure, readForm } from "~/http/forms.server";
import { requireStaffUser } from "~/http/guards.server";
import { formatDateTime } from "~/i18n";
import { CsrfForm, ErrorSummary, Notice } from "~/ui/forms";
import { useLocale, useT } from "~/ui/i18n";
import type { Route } from "./+types/outbox-message";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  const message = await getOutboxMessage(context.services, user, params.id);
  if (!message) throw data(null, { status: 404 });
  return { message };
}

/** "Renvoyer": staff send an undelivered (or failed) message again. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const user = await requireStaffUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    if (form.get("intent") !== "resend") throw new AppError("INVALID", "form.invalidChoice");
    await resendOutboxMessage(context.services, user, params.id);
    return redirect(`/admin/boite-d-envoi/${params.id}?ok=resend`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function OutboxMessage() {
  const t = useT();
  const locale = useLocale();
  const { message } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const resendable = message.status === "undelivered" || message.status === "failed";
  return (
    <>
      <title>{`${message.subject} — LinkedOut`}</title>
      <p>
        <Link to="/admin/boite-d-envoi">{t("outbox.back")}</Link>
      </p>
      <h1>{message.subject}</h1>
      {params.get("ok") === "resend" && <Notice>{t("outbox.resent")}</Notice>}
      <ErrorSummary errors={result?.errors} labels={{}} />
      <dl className="facts">
        <dt>{t("outbox.to")}</dt>
        <dd>{message.toAddress}</dd>
        <dt>{t("outbox.date")}</dt>
        <dd>{formatDateTime(locale, new Date(message.createdAt))}</dd>
        <dt>{t("outbox.status")}</dt>
        <dd>{t(`outbox.status.${message.status}`)}</dd>
        <dt>{t("outbox.attempts")}</dt>
        <dd>{message.attempts}</dd>
        {message.status === "failed" && message.nextAttemptAt && (
          <>
            <dt>{t("outbox.nextAttempt")}</dt>
            <dd>{formatDateTime(locale, new Date(message.nextAttemptAt))}</dd>
          </>
        )}
        {message.status === "undelivered" && (
          <>
            <dt>{t("outbox.retryUntil")}</dt>
            <dd>{formatDateTime(locale, new Date(message.retryUntil))}</dd>
          </>
        )}
        {message.lastError && (
          <>
            <dt>{t("outbox.lastError")}</dt>
            <dd>{message.lastError}</dd>
          </>
        )}
      </dl>
      {resendable && (
        <CsrfForm>
          <input type="hidden" name="intent" value="resend" />
          <button type="submit" className="button">
            {t("outbox.resend")}
          </button>
        </CsrfForm>
      )}
      <h2>{t("outbox.body")}</h2>
      <pre className="email-body">{message.textBody}</pre>
    </>
  );
}
