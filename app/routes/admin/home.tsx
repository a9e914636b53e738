import { Link, useLoaderData } from "react-router";
import { listCvsToReview } from "~/domain/cv/cvs";
import { countOffersToModerate } from "~/domain/offers/moderation";
import { requireStaffUser } from "~/http/guards.server";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/home";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireStaffUser(request, context);
  const [toReview, offersToModerate] = await Promise.all([listCvsToReview(context.services.db, user), countOffersToModerate(context.services.db, user)]);
  return { toReview, offersToModerate };
}

export default function AdminHome() {
  const t = useT();
  const { toReview, offersToModerate } = useLoaderData<typeof loader>();
  return (
    <>
      <title>{`${t("admin.title")} — LinkedOut`}</title>
      <h1>{t("admin.title")}</h1>
      <p>{t("admin.intro")}</p>
      <h2>{t("admin.toReview")}</h2>
      {toReview.length === 0 ? (
        <p>{t("admin.nothingToReview")}</p>
      ) : (
        <ul>
          {toReview.map((cv) => (
            <li key={cv.candidateId}>
              <Link to={`/espace/cv/${cv.candidateId}`}>
                {cv.firstName} {cv.lastName}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <ul className="card-list">
        <li className="card">
          <Link to="/admin/offres">{t("moderation.adminLink", { count: offersToModerate })}</Link>
        </li>
        <li className="card">
          <Link to="/admin/membres">{t("nav.members")}</Link>
        </li>
        <li className="card">
          <Link to="/admin/membres/nouveau">{t("members.new")}</Link>
        </li>
        <li className="card">
          <Link to="/admin/boite-d-envoi">{t("nav.outbox")}</Link>
        </li>
        <li className="card">
          <Link to="/admin/promos">{t("cohorts.title")}</Link>
        </li>
        <li className="card">
          <Link to="/admin/textes">{t("texts.title")}</Link>
        </li>
        <li className="card">
          <Link to="/admin/suivis">{t("checkIns.title")}</Link>
        </li>
      </ul>
    </>
  );
}
