import { completeCvPdf } from "~/domain/cv/complete-pdf.server";
import { contentDisposition } from "~/http/file-responses.server";
import { orNotFound } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";
import type { Route } from "./+types/cv-complete-pdf";

/** The complete PDF (contact details), for the candidate, their coach and staff; never cached. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  const { pdf, cv } = await orNotFound(() => completeCvPdf(context.services.db, user, params.candidateId));
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition("attachment", `cv-${cv.firstName}-${cv.lastName}.pdf`),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
