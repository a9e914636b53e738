import { redirect, useActionData, useLoaderData } from "react-router";
import { createMember, listCoaches, listZones } from "~/domain/accounts/members";
import { locales, roles } from "~/db/schema";
import { requireStaffUser } from "~/http/guards.server";
import { formFailure, readForm } from "~/http/forms.server";
import { CsrfForm, ErrorSummary, SelectField, TextField } from "~/ui/forms";
import { useRootData, useT } from "~/ui/i18n";
import type { Route } from "./+types/member-new";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  const [zones, coaches] = await Promise.all([listZones(context.services.db, user), listCoaches(context.services.db, user)]);
  return { zones, coaches, defaultZone: user.zoneId ?? "" };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireStaffUser(request, context);
  let form: FormData | undefined;
  try {
    form = await readForm(request, context);
    const input = Object.fromEntries([...form].filter(([, v]) => typeof v === "string"));
    await createMember(context.services, user, input);
    const name = `${String(form.get("firstName")).trim()} ${String(form.get("lastName")).trim()}`;
    return redirect(`/admin/membres?cree=${encodeURIComponent(name)}`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function NewMember() {
  const t = useT();
  const { zones, coaches, defaultZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { locale } = useRootData();
  const v = result?.values ?? {};
  const e = result?.errors.fields ?? {};
  return (
    <>
      <title>{`${t("members.new")} — LinkedOut`}</title>
      <h1>{t("members.new")}</h1>
      <ErrorSummary errors={result?.errors} labels={{ role: "members.role", firstName: "members.firstName", lastName: "members.lastName", email: "members.email", zoneId: "members.zone", locale: "members.locale", coachId: "members.pickCoach" }} />
      <CsrfForm noValidate>
        <SelectField name="role" label="members.role" defaultValue={v.role ?? "candidate"} error={e.role} required>
          {roles.map((role) => (
            <option key={role} value={role}>
              {t(`role.${role}`)}
            </option>
          ))}
        </SelectField>
        <TextField name="firstName" label="members.firstName" defaultValue={v.firstName} error={e.firstName} autoComplete="off" maxLength={60} required />
        <TextField name="lastName" label="members.lastName" defaultValue={v.lastName} error={e.lastName} autoComplete="off" maxLength={80} required />
        <TextField name="email" type="email" label="members.email" defaultValue={v.email} error={e.email} autoComplete="off" required />
        <SelectField name="zoneId" label="members.zone" defaultValue={v.zoneId ?? defaultZone} error={e.zoneId} required>
          {zones.map((zone) => (
            <option key={zone.id} value={zone.id}>
              {zone.name}
            </option>
          ))}
        </SelectField>
        <SelectField name="locale" label="members.locale" defaultValue={v.locale ?? locale} error={e.locale}>
          {locales.map((l) => (
            <option key={l} value={l}>
              {t(`locale.${l}`)}
            </option>
          ))}
        </SelectField>
        <SelectField name="coachId" label="members.pickCoach" defaultValue={v.coachId ?? ""} error={e.coachId}>
          <option value="">{t("members.noCoachOption")}</option>
          {coaches.map((c) => (
            <option key={c.id} value={c.id}>
              {c.firstName} {c.lastName}
              {c.zoneName ? ` (${c.zoneName})` : ""}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button">
          {t("members.create")}
        </button>
      </CsrfForm>
    </>
  );
}
