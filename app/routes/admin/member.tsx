import { redirect, useActionData, useLoaderData, useSearchParams } from "react-router";
import { getMemberDetail, pairCandidate, resendInvitation, unpairCandidate } from "~/domain/accounts/members";
import { AppError } from "~/http/app-error";
import { formFailure, orNotFound, readForm } from "~/http/forms.server";
import { requireStaffUser } from "~/http/guards.server";
import { formatDateTime, type MessageKey } from "~/i18n";
import { CsrfForm, ErrorSummary, Notice, SelectField } from "~/ui/forms";
import { useLocale, useT } from "~/ui/i18n";
import type { Route } from "./+types/member";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  return orNotFound(() => getMemberDetail(context.services.db, user, params.id));
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = await requireStaffUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const intent = form.get("intent");
    if (intent === "pair") await pairCandidate(context.services, user, params.id, form.get("coachId"));
    else if (intent === "unpair") await unpairCandidate(context.services, user, params.id);
    else if (intent === "resend") await resendInvitation(context.services, user, params.id);
    else throw new AppError("INVALID", "form.invalidChoice");
    return redirect(`/admin/membres/${params.id}?ok=${intent}`);
  } catch (error) {
    return formFailure(error, form);
  }
}

const notices: Record<string, MessageKey> = {
  pair: "members.paired",
  unpair: "members.unpaired",
  resend: "members.invitationResent",
};

export default function Member() {
  const t = useT();
  const locale = useLocale();
  const { member, currentPairing, followed, history, coaches } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = notices[params.get("ok") ?? ""];
  const name = `${member.firstName} ${member.lastName}`;
  return (
    <>
      <title>{`${name} — LinkedOut`}</title>
      <h1>{name}</h1>
      {notice && <Notice>{t(notice)}</Notice>}
      <ErrorSummary errors={result?.errors} labels={{ coachId: "members.pairWith" }} />
      <dl className="facts">
        <dt>{t("members.role")}</dt>
        <dd>{t(`role.${member.role}`)}</dd>
        <dt>{t("members.email")}</dt>
        <dd>{member.email}</dd>
        <dt>{t("members.zone")}</dt>
        <dd>{member.zoneName ?? "—"}</dd>
        <dt>{t("members.status")}</dt>
        <dd>{t(member.active ? "members.active" : "members.invited")}</dd>
      </dl>
      {!member.active && (
        <CsrfForm>
          <input type="hidden" name="intent" value="resend" />
          <button type="submit" className="button button-secondary">
            {t("members.resendInvitation")}
          </button>
        </CsrfForm>
      )}
      {member.role === "candidate" && (
        <p>
          <a href={`/espace/cv/${member.id}`}>{t("space.coach.editCv")}</a>
        </p>
      )}
      {member.role === "candidate" && (
        <section aria-labelledby="pairing-title">
          <h2 id="pairing-title">{t("members.pairing")}</h2>
          <p>{currentPairing ? t("members.currentCoach", { name: currentPairing.coachName }) : t("members.noCoach")}</p>
          <CsrfForm>
            <input type="hidden" name="intent" value="pair" />
            <SelectField name="coachId" label="members.pairWith" defaultValue={currentPairing?.coachId ?? ""} error={result?.errors.fields.coachId}>
              <option value="">{t("members.noCoachOption")}</option>
              {coaches.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.firstName} {c.lastName}
                </option>
              ))}
            </SelectField>
            <button type="submit" className="button">
              {t("members.pair")}
            </button>
          </CsrfForm>
          {currentPairing && (
            <CsrfForm>
              <input type="hidden" name="intent" value="unpair" />
              <p>
                <button type="submit" className="button button-secondary">
                  {t("members.unpair")}
                </button>
              </p>
            </CsrfForm>
          )}
        </section>
      )}
      {member.role === "coach" && (
        <section aria-labelledby="followed-title">
          <h2 id="followed-title">{t("members.followed")}</h2>
          {followed.length === 0 ? (
            <p>{t("space.coach.none")}</p>
          ) : (
            <ul>
              {followed.map((p) => (
                <li key={p.id}>
                  <a href={`/admin/membres/${p.candidateId}`}>{p.candidateName}</a>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {history.length > 0 && (
        <section aria-labelledby="history-title">
          <h2 id="history-title">{t("members.history")}</h2>
          <ul>
            {history.flatMap((p) => {
              const coach = member.role === "coach" ? p.candidateName : p.coachName;
              const items = [
                <li key={`${p.id}-start`}>
                  {t("members.historyPaired", { date: formatDateTime(locale, new Date(p.startedAt)), coach, actor: p.startedBy ?? "—" })}
                </li>,
              ];
              if (p.endedAt) {
                items.unshift(
                  <li key={`${p.id}-end`}>
                    {t("members.historyUnpaired", { date: formatDateTime(locale, new Date(p.endedAt)), coach, actor: p.endedBy ?? "—" })}
                  </li>,
                );
              }
              return items;
            })}
          </ul>
        </section>
      )}
    </>
  );
}
