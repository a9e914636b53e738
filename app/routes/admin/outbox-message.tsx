import { data, Link, useLoaderData } from "react-router";
import { getOutboxMessage } from "~/domain/email/outbox";
import { requireStaffUser } from "~/http/guards.server";
import { formatDateTime } from "~/i18n";
import { useLocale, useT } from "~/ui/i18n";
import type { Route } from "./+types/outbox-message";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  const message = await getOutboxMessage(context.services, user, params.id);
  if (!message) throw data(null, { status: 404 });
  return { message };
}

export default function OutboxMessage() {
  const t = useT();
  const locale = useLocale();
  const { message } = useLoaderData<typeof loader>();
  return (
    <>
      <title>{`${message.subject} — LinkedOut`}</title>
      <p>
        <Link to="/admin/boite-d-envoi">{t("outbox.back")}</Link>
      </p>
      <h1>{message.subject}</h1>
      <dl className="facts">
        <dt>{t("outbox.to")}</dt>
        <dd>{message.toAddress}</dd>
        <dt>{t("outbox.date")}</dt>
        <dd>{formatDateTime(locale, new Date(message.createdAt))}</dd>
        <dt>{t("outbox.status")}</dt>
        <dd>{t(`outbox.status.${message.status}`)}</dd>
        <dt>{t("outbox.attempts")}</dt>
        <dd>{message.attempts}</dd>
        {message.lastError && (
          <>
            <dt>{t("outbox.lastError")}</dt>
            <dd>{message.lastError}</dd>
          </>
        )}
      </dl>
      <h2>{t("outbox.body")}</h2>
      <pre className="email-body">{message.textBody}</pre>
    </>
  );
}
