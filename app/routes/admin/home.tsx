import { Link } from "react-router";
import { requireStaffUser } from "~/http/guards.server";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/home";

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireStaffUser(request, context);
  return null;
}

export default function AdminHome() {
  const t = useT();
  return (
    <>
      <title>{`${t("admin.title")} — LinkedOut`}</title>
      <h1>{t("admin.title")}</h1>
      <p>{t("admin.intro")}</p>
      <ul className="card-list">
        <li className="card">
          <Link to="/admin/membres">{t("nav.members")}</Link>
        </li>
        <li className="card">
          <Link to="/admin/membres/nouveau">{t("members.new")}</Link>
        </li>
        <li className="card">
          <Link to="/admin/boite-d-envoi">{t("nav.outbox")}</Link>
        </li>
      </ul>
    </>
  );
}
