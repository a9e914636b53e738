import { Link, redirect, useLoaderData } from "react-router";
import { candidatesFollowedBy, currentCoachOf } from "~/domain/accounts/spaces";
import { unseenOfferCounts } from "~/domain/offers/follow-up";
import { requireUser } from "~/http/session.server";
import { formatDate } from "~/i18n";
import { useLocale, useT } from "~/ui/i18n";
import { newBadge } from "~/ui/new-offers-badge";
import type { Route } from "./+types/space";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  if (user.role === "staff") throw redirect("/admin");
  const db = context.services.db;
  const unseen = await unseenOfferCounts(db, user);
  if (user.role === "candidate") {
    const coach = await currentCoachOf(db, user.id);
    return {
      role: "candidate" as const,
      id: user.id,
      firstName: user.firstName,
      coach: coach ? { name: `${coach.firstName} ${coach.lastName}`, email: coach.email } : null,
      unseenOffers: unseen.total,
    };
  }
  const candidates = await candidatesFollowedBy(db, user.id);
  return {
    role: "coach" as const,
    firstName: user.firstName,
    candidates: candidates.map((c) => ({ id: c.id, name: `${c.firstName} ${c.lastName}`, since: c.since.toISOString(), unseenOffers: unseen.byCandidate[c.id] ?? 0 })),
    unseenOffers: unseen.total,
  };
}

export default function Space() {
  const t = useT();
  const locale = useLocale();
  const space = useLoaderData<typeof loader>();
  return (
    <>
      <title>{`${t("space.title")} — LinkedOut`}</title>
      <h1>{t("space.hello", { name: space.firstName })}</h1>
      {space.unseenOffers > 0 && (
        <p className="alert alert-success" role="status">
          <strong>{`${t(space.role === "candidate" ? "offers.mine" : "offers.coachBadge")} : ${newBadge(t, space.unseenOffers)}`}</strong>
        </p>
      )}
      {space.role === "candidate" ? (
        <section aria-labelledby="coach-title" className="card">
          <h2 id="coach-title">{t("space.candidate.coach")}</h2>
          {space.coach ? (
            <p>
              {space.coach.name} — <a href={`mailto:${space.coach.email}`}>{space.coach.email}</a>
            </p>
          ) : (
            <p>{t("space.candidate.noCoach")}</p>
          )}
          <p>{t("space.candidate.next")}</p>
          <p>
            <Link className="button" to={`/espace/cv/${space.id}`}>
              {t("space.candidate.editCv")}
            </Link>
          </p>
          <p>
            <Link className="button" to={`/espace/offres/${space.id}`}>
              {space.unseenOffers > 0 ? `${t("offers.mine")} (${newBadge(t, space.unseenOffers)})` : t("offers.mine")}
            </Link>
          </p>
        </section>
      ) : (
        <section aria-labelledby="candidates-title">
          <h2 id="candidates-title">{t("space.coach.candidates")}</h2>
          {space.candidates.length === 0 ? (
            <p>{t("space.coach.none")}</p>
          ) : (
            <ul className="card-list">
              {space.candidates.map((c) => (
                <li key={c.id} className="card">
                  <Link to={`/espace/candidats/${c.id}`}>{c.name}</Link>{" "}
                  <span className="muted">{t("space.coach.since", { date: formatDate(locale, new Date(c.since)) })}</span>
                  <span className="button-row">
                    <Link className="button button-secondary" to={`/espace/cv/${c.id}`}>
                      {t("space.coach.editCv")}
                    </Link>
                    <Link className="button button-secondary" to={`/espace/offres/${c.id}`}>{c.unseenOffers > 0 ? `${t("offers.link")} (${newBadge(t, c.unseenOffers)})` : t("offers.link")}</Link>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
