import { getCvPhoto } from "~/domain/cv/cvs";
import { orNotFound } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";
import type { Route } from "./+types/cv-version-photo";

/** A photo of any version of the CV (the versions page), for the candidate, their coach and their zone's staff; never cached by others. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  const photo = await orNotFound(() => getCvPhoto(context.services.db, user, params.candidateId, params.photo.replace(/\.jpg$/, "")));
  return new Response(new Uint8Array(photo.square), {
    headers: { "Content-Type": "image/jpeg", "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" },
  });
}
