import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { limitedText } from "~/domain/text";
import { candidateOffers, hires, offers } from "~/db/schema";
import type { Actor } from "~/domain/accounts/permissions";
import { afterEmploymentChange, writeEmployment } from "~/domain/cv/cvs";
import { crossFieldCheck } from "~/domain/forms/zod";
import { contractTypes } from "~/domain/reference/lists";
import { AppError } from "~/http/app-error";
import type { Services } from "~/services.server";
import { logFollowUp, otherOpenFollowUps, requireFollowUpRole } from "./follow-up";

/** Fixed-term contracts end on a known date: the form asks for it. A CDI has none. */
export const contractsWithEndDate = ["cdd_long", "cdd_short"] as const;

const date = (message: string) => z.iso.date({ error: message });

export const hireSchema = z
  .object({
    contractType: z.enum(contractTypes, { error: "hire.contractRequired" }),
    startDate: date("hire.startDateRequired"),
    endDate: z.union([z.literal(""), date("hire.invalidDate")]).default(""),
    closeOthers: z.boolean().default(false),
    /** Only for a hire that came from no offer here (the offer's recruiter otherwise). */
    employerName: limitedText(200, "form.tooLong").default(""),
    employerEmail: z.union([z.literal(""), limitedText(254, "form.tooLong").pipe(z.email({ error: "followUp.external.emailInvalid" }))]).default(""),
  })
  .superRefine((hire, ctx) => {
    // Runs even when other fields failed (every mistake at once): each value is checked before use.
    const isDay = (value: unknown): value is string => typeof value === "string" && z.iso.date().safeParse(value).success;
    const startDate = isDay(hire.startDate) ? hire.startDate : null;
    const endDate = isDay(hire.endDate) ? hire.endDate : null;
    if (hire.contractType === "cdi" && endDate) ctx.addIssue({ code: "custom", path: ["endDate"], message: "hire.noEndDateForCdi" });
    else if ((contractsWithEndDate as readonly string[]).includes(hire.contractType) && hire.endDate === "")
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "hire.endDateRequired" });
    else if (startDate && endDate && endDate < startDate) ctx.addIssue({ code: "custom", path: ["endDate"], message: "hire.endBeforeStart" });
    // Year 0000 passes as an ISO date but not in PostgreSQL: a hire starts within a few years of today.
    for (const [field, value] of [["startDate", startDate], ["endDate", endDate]] as const) {
      const year = value ? Number(value.slice(0, 4)) : null;
      const now = new Date().getFullYear();
      if (year !== null && (year < now - 5 || year > now + 10)) ctx.addIssue({ code: "custom", path: [field], message: "hire.dateOutOfRange" });
    }
  }, crossFieldCheck);
export type HireInput = z.input<typeof hireSchema>;

/**
 * Records a hire (candidate, coach or staff), all in one transaction: the `hires` row (the
 * employer is the offer's recruiter), the follow-up set to "hired" (logged), the CV marked
 * employed ("a retrouvé un emploi", "en emploi jusqu'au …") so it leaves the gallery by default,
 * and, with `closeOthers`, every other open offer archived (logged). Sharers hear the news after
 * commit, as when the coach marks the CV employed.
 *
 * A hire may follow any step but "hired": people sometimes get the job straight after a call.
 */
export async function recordHire(services: Services, actor: Actor | null, candidateId: string, offerId: string | null, input: HireInput): Promise<string> {
  await requireFollowUpRole(services.db, actor, candidateId);
  if (offerId !== null && !z.uuid().safeParse(offerId).success) throw new AppError("NOT_FOUND", "notFound.title");
  const parsed = hireSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? "form")] ??= issue.message;
    throw new AppError("INVALID", "form.errorSummary", fields);
  }
  const hire = parsed.data;
  const actorId = actor!.id;
  const { hireId, slug } = await services.db.transaction(async (tx) => {
    let employer = { name: hire.employerName, email: hire.employerEmail || null };
    if (offerId) {
      const [row] = await tx
        .select({ followUp: candidateOffers, offer: offers })
        .from(candidateOffers)
        .innerJoin(offers, eq(offers.id, candidateOffers.offerId))
        .where(and(eq(candidateOffers.candidateId, candidateId), eq(candidateOffers.offerId, offerId), inArray(offers.status, ["validated", "archived"])))
        .for("update", { of: candidateOffers });
      if (!row) throw new AppError("NOT_FOUND", "notFound.title");
      if (row.followUp.status === "hired") throw new AppError("CONFLICT", "hire.alreadyHired");
      employer = { name: row.offer.recruiterName || row.offer.company, email: row.offer.recruiterEmail || null };
      const now = new Date();
      await tx
        .update(candidateOffers)
        .set({ status: "hired", statusChangedAt: now, archived: false, contactRevealedAt: row.followUp.contactRevealedAt ?? now })
        .where(and(eq(candidateOffers.candidateId, candidateId), eq(candidateOffers.offerId, offerId)));
      await logFollowUp(tx, actorId, candidateId, offerId, [{ change: "status", from: row.followUp.status, to: "hired" }]);
    }
    const [created] = await tx
      .insert(hires)
      .values({
        candidateId,
        offerId,
        contractType: hire.contractType,
        startDate: hire.startDate,
        endDate: hire.endDate || null,
        employerName: employer.name,
        employerEmail: employer.email,
        createdById: actorId,
      })
      .returning({ id: hires.id });
    if (hire.closeOthers) {
      const others = await otherOpenFollowUps(tx, candidateId, offerId);
      if (others.length) {
        await tx
          .update(candidateOffers)
          .set({ archived: true })
          .where(and(eq(candidateOffers.candidateId, candidateId), inArray(candidateOffers.offerId, others.map((o) => o.offerId))));
        for (const other of others) await logFollowUp(tx, actorId, candidateId, other.offerId, [{ change: "archive", from: "false", to: "true" }]);
      }
    }
    const slug = await writeEmployment(tx, actorId, candidateId, true, hire.endDate);
    return { hireId: created!.id, slug };
  });
  await afterEmploymentChange(services, slug, true);
  return hireId;
}
