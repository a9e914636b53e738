import { Link, redirect, useLoaderData } from "react-router";
import { candidatesFollowedBy, currentCoachOf } from "~/domain/accounts/spaces";
import { requireUser } from "~/http/session.server";
import { formatDate } from "~/i18n";
import { useLocale, useT } from "~/ui/i18n";
import type { Route } from "./+types/space";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  if (user.role === "staff") throw redirect("/admin");
  const db = context.services.db;
  if (user.role === "candidate") {
    const coach = await currentCoachOf(db, user.id);
    return {
      role: "candidate" as const,
      id: user.id,
      firstName: user.firstName,
      coach: coach ? { name: `${coach.firstName} ${coach.lastName}`, email: coach.email } : null,
    };
  }
  const candidates = await candidatesFollowedBy(db, user.id);
  return {
    role: "coach" as const,
    firstName: user.firstName,
    candidates: candidates.map((c) => ({ id: c.id, name: `${c.firstName} ${c.lastName}`, since: c.since.toISOString() })),
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
                  <span className="muted">{t("space.coach.since", { date: formatDate(locale, new Date(c.since)) })}</span>{" "}
                  <Link to={`/espace/cv/${c.id}`}>{t("space.coach.editCv")}</Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
