import { Link, useLoaderData } from "react-router";
import { getCandidateForActor } from "~/domain/accounts/spaces";
import { orNotFound } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";
import { useT } from "~/ui/i18n";
import type { Route } from "./+types/space-candidate";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  const { candidate } = await orNotFound(() => getCandidateForActor(context.services.db, user, params.id));
  return { id: candidate.id, name: `${candidate.firstName} ${candidate.lastName}`, email: candidate.email };
}

export default function SpaceCandidate() {
  const t = useT();
  const candidate = useLoaderData<typeof loader>();
  return (
    <>
      <title>{`${candidate.name} — LinkedOut`}</title>
      <h1>{t("space.candidateDetail.title", { name: candidate.name })}</h1>
      <p>
        <a href={`mailto:${candidate.email}`}>{candidate.email}</a>
      </p>
      <p>{t("space.candidate.next")}</p>
      <p>
        <Link className="button" to={`/espace/cv/${candidate.id}`}>
          {t("space.coach.editCv")}
        </Link>
      </p>
      <p>
        <Link className="button button-secondary" to={`/espace/offres/${candidate.id}`}>
          {t("offers.link")}
        </Link>
      </p>
    </>
  );
}
