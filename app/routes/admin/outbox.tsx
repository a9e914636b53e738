import { Link, useLoaderData } from "react-router";
import { z } from "zod";
import { countUndelivered, listOutbox, OUTBOX_PAGE_SIZE } from "~/domain/email/outbox";
import { CsrfForm } from "~/ui/forms";
import { requireStaffUser } from "~/http/guards.server";
import { formatDateTime } from "~/i18n";
import { useLocale, useT } from "~/ui/i18n";
import type { Route } from "./+types/outbox";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  const page = z.coerce.number().int().min(1).max(100_000).catch(1).parse(new URL(request.url).searchParams.get("page"));
  const rows = await listOutbox(context.services.db, user, page);
  const undelivered = await countUndelivered(context.services.db, user);
  return { rows: rows.slice(0, OUTBOX_PAGE_SIZE), hasMore: rows.length > OUTBOX_PAGE_SIZE, page, undelivered };
}

export default function Outbox() {
  const t = useT();
  const locale = useLocale();
  const { rows, hasMore, page, undelivered } = useLoaderData<typeof loader>();
  return (
    <>
      <title>{`${t("outbox.title")} — LinkedOut`}</title>
      <h1>{t("outbox.title")}</h1>
      <p>{t("outbox.intro")}</p>
      {undelivered > 0 && (
        <div className="alert alert-error" role="status">
          <p>{t("outbox.undeliveredCount", { count: undelivered })}</p>
        </div>
      )}
      {rows.length === 0 ? (
        <p>{t("outbox.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("outbox.date")}</th>
                <th scope="col">{t("outbox.to")}</th>
                <th scope="col">{t("outbox.subject")}</th>
                <th scope="col">{t("outbox.status")}</th>
                <th scope="col">{t("outbox.attempts")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td>{formatDateTime(locale, new Date(m.createdAt))}</td>
                  <td>{m.toAddress}</td>
                  <td>
                    <Link to={`/admin/boite-d-envoi/${m.id}`}>{m.subject}</Link>
                  </td>
                  <td>
                    {t(`outbox.status.${m.status}`)}
                    {(m.status === "undelivered" || m.status === "failed") && (
                      <CsrfForm action={`/admin/boite-d-envoi/${m.id}`} className="inline-form">
                        <input type="hidden" name="intent" value="resend" />
                        <button type="submit" className="button button-secondary">
                          {t("outbox.resend")}
                        </button>
                      </CsrfForm>
                    )}
                  </td>
                  <td>{m.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pagination">
        {page > 1 && <Link to={`?page=${page - 1}`}>{t("members.previous")}</Link>}
        {hasMore && <Link to={`?page=${page + 1}`}>{t("members.next")}</Link>}
      </nav>
    </>
  );
}
