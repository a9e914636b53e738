import { Link, useLoaderData, useSearchParams } from "react-router";
import { listMembers, listZones, MEMBERS_PAGE_SIZE, memberFiltersSchema } from "~/domain/accounts/members";
import { roles } from "~/db/schema";
import { requireStaffUser } from "~/http/guards.server";
import { Notice, SelectField, TextField } from "~/ui/forms";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/members";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  const url = new URL(request.url);
  const filters = memberFiltersSchema.parse(Object.fromEntries(url.searchParams));
  const [{ rows, total }, zones] = await Promise.all([listMembers(context.services.db, user, filters), listZones(context.services.db, user)]);
  return { rows, total, zones, filters, pages: Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE)) };
}

export default function Members() {
  const t = useT();
  const { rows, total, zones, filters, pages } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    next.delete("cree");
    return `?${next}`;
  };
  return (
    <>
      <title>{`${t("members.title")} — LinkedOut`}</title>
      <h1>{t("members.title")}</h1>
      {params.get("cree") && <Notice>{t("members.created", { name: params.get("cree")! })}</Notice>}
      <p>
        <Link className="button" to="/admin/membres/nouveau">
          {t("members.new")}
        </Link>
      </p>
      <form method="get" className="filters" role="search">
        <TextField name="q" type="search" label="members.search" defaultValue={filters.q} maxLength={100} />
        <SelectField name="role" label="members.filterRole" defaultValue={filters.role ?? ""}>
          <option value="">{t("members.allRoles")}</option>
          {roles.map((role) => (
            <option key={role} value={role}>
              {t(`role.${role}`)}
            </option>
          ))}
        </SelectField>
        <SelectField name="zone" label="members.filterZone" defaultValue={filters.zone ?? ""}>
          <option value="">{t("members.allZones")}</option>
          {zones.map((zone) => (
            <option key={zone.id} value={zone.id}>
              {zone.name}
            </option>
          ))}
        </SelectField>
        <div className="field">
          <button type="submit" className="button button-secondary">
            {t("members.apply")}
          </button>
        </div>
      </form>
      <p aria-live="polite">{t("members.count", { count: total })}</p>
      {rows.length === 0 ? (
        <p>{t("members.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("members.name")}</th>
                <th scope="col">{t("members.role")}</th>
                <th scope="col">{t("members.zone")}</th>
                <th scope="col">{t("members.coach")}</th>
                <th scope="col">{t("members.status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td>
                    <Link to={`/admin/membres/${m.id}`}>
                      {m.firstName} {m.lastName}
                    </Link>
                    <br />
                    <span className="muted">{m.email}</span>
                  </td>
                  <td>{t(`role.${m.role}`)}</td>
                  <td>{m.zoneName ?? "—"}</td>
                  <td>{m.coachFirstName ? `${m.coachFirstName} ${m.coachLastName}` : "—"}</td>
                  <td>{t(m.active ? "members.active" : "members.invited")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pagination">
        {filters.page > 1 && <Link to={pageLink(filters.page - 1)}>{t("members.previous")}</Link>}
        {filters.page < pages && <Link to={pageLink(filters.page + 1)}>{t("members.next")}</Link>}
      </nav>
    </>
  );
}
