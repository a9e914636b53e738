import { logger } from "~/logger.server";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { limitedText } from "~/domain/text";
import { users, type Role } from "~/db/schema";
import { writeToOutbox, dispatchOutbox } from "~/domain/email/outbox";
import { renderEmail } from "~/emails/render";
import { AppError } from "~/http/app-error";
import type { Services } from "~/services.server";
import { issueAccountToken } from "./account-tokens";
import { decoyPasswordHash, verifyPassword } from "./passwords";
import { hitRateLimit, releaseRateLimit } from "./rate-limit";

/**
 * Failed guesses are limited per address *from one IP* (so a stranger cannot lock someone out by
 * failing on purpose from elsewhere), per address overall (high: slows a botnet, rarely met by
 * a real person), and per IP across addresses. Only failures count: a shelter's room of thirty
 * people behind one address signs in one after the other without meeting the per-IP limit.
 */
export const SIGN_IN_LIMITS = {
  perAddressAndIp: { limit: 5, windowSeconds: 15 * 60 },
  perAddress: { limit: 50, windowSeconds: 15 * 60 },
  perIp: { limit: 30, windowSeconds: 15 * 60 },
};

export const signInSchema = z.object({
  email: limitedText(254, "form.tooLong").toLowerCase().min(1, "form.required"),
  password: z.string().max(1000, { message: "form.tooLong", abort: true }).min(1, "form.required"),
});

/**
 * Checks the credentials; opens no session (the caller does, once its answer is built:
 * `answerWithNewSession`). Each attempt takes a place in the counters while it is checked — so
 * a burst of parallel guesses cannot slip past the limit — and a successful one gives it back.
 * Past the limit the answer is the same whatever the password.
 */
export async function checkSignIn(services: Services, input: unknown, client: { ip: string }): Promise<{ userId: string; role: Role }> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID", "signIn.invalid");
  const { email, password } = parsed.data;
  const counters = [
    { key: `sign-in:address-ip:${email}:${client.ip}`, ...SIGN_IN_LIMITS.perAddressAndIp },
    { key: `sign-in:address:${email}`, ...SIGN_IN_LIMITS.perAddress },
    { key: `sign-in:ip:${client.ip}`, ...SIGN_IN_LIMITS.perIp },
  ];
  const counts = await Promise.all(counters.map((c) => hitRateLimit(services.db, c.key, c)));
  if (counts.some((c) => !c.allowed)) throw new AppError("RATE_LIMITED", "signIn.tooMany");
  const [user] = await services.db
    .select({ id: users.id, role: users.role, passwordHash: users.passwordHash })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email}`, isNull(users.deactivatedAt)))
    .limit(1);
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user?.passwordHash || !ok) throw new AppError("INVALID", "signIn.invalid");
  await Promise.all(counters.map((c, i) => releaseRateLimit(services.db, c.key, counts[i]!.windowStart)));
  return { userId: user.id, role: user.role };
}

export const forgotPasswordSchema = z.object({
  email: limitedText(254, "form.tooLong").toLowerCase().pipe(z.email({ error: "form.invalidEmail" })),
});

export const PASSWORD_RESET_JOB = "password-reset";

/**
 * Asks for a reset link. The answer must not tell whether the address has an account — by its
 * words (the caller shows the same text) nor by its timing: the request does the same work for
 * every address (check, count, queue a job) and the lookup, token and e-mail happen in the job
 * (`sendPasswordReset`), after the answer has gone.
 */
export async function requestPasswordReset(services: Services, input: unknown, client: { ip: string }): Promise<void> {
  const parsed = forgotPasswordSchema.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID", "form.errorSummary", { email: "form.invalidEmail" });
  const { email } = parsed.data;
  const [byAddress, byIp] = await Promise.all([
    hitRateLimit(services.db, `reset:address:${email}`, { limit: 3, windowSeconds: 3600 }),
    hitRateLimit(services.db, `reset:ip:${client.ip}`, { limit: 20, windowSeconds: 3600 }),
  ]);
  // Over the limit we silently send nothing: same answer, no mailbox flooding.
  if (!byAddress.allowed || !byIp.allowed) return;
  // One waiting job per address: a second click while the first waits sends one e-mail, not two.
  await services.queue.send(PASSWORD_RESET_JOB, { email }, { singletonKey: email });
}

/** The job behind `requestPasswordReset`: a reset link for the address if it has an account. */
export async function sendPasswordReset(services: Services, data: { email: string }): Promise<void> {
  const parsed = forgotPasswordSchema.safeParse(data);
  if (!parsed.success) return;
  const { email } = parsed.data;
  const [user] = await services.db
    .select()
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, email), isNull(users.deactivatedAt)))
    .limit(1);
  if (!user) return;
  const outboxId = await services.db.transaction(async (tx) => {
    const token = await issueAccountToken(tx, user.id, "password_reset");
    return writeToOutbox(tx, {
      to: user.email,
      toUserId: user.id,
      locale: user.locale,
      template: "password_reset",
      ...renderEmail(user.locale, "email.reset.subject", "email.reset.body", {
        firstName: user.firstName,
        link: `${services.config.publicUrl}/mot-de-passe/${token}`,
      }),
    });
  });
  // The link is committed: this job must not run again (a second link would void the first).
  // A lost enqueue is picked up by the outbox sweep within a minute.
  await dispatchOutbox(services.queue, [outboxId]).catch((error: unknown) => logger.warn({ err: error, outboxId }, "Password reset queued by the sweep"));
}
