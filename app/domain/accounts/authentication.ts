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
import { hitRateLimit } from "./rate-limit";
import { createSession } from "./sessions";

/**
 * Guesses are limited per address *from one IP* (so a stranger cannot lock someone out by
 * failing on purpose from elsewhere), per address overall (high: slows a botnet, rarely met by
 * a real person), and per IP across addresses.
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
 * Checks the credentials and opens a session. Attempts are counted per address and per IP
 * in PostgreSQL; past the limit the answer is the same whatever the password.
 */
export async function signIn(
  services: Services,
  input: unknown,
  client: { ip: string; userAgent: string | null },
): Promise<{ token: string; userId: string; role: Role }> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID", "signIn.invalid");
  const { email, password } = parsed.data;
  const counts = await Promise.all([
    hitRateLimit(services.db, `sign-in:address-ip:${email}:${client.ip}`, SIGN_IN_LIMITS.perAddressAndIp),
    hitRateLimit(services.db, `sign-in:address:${email}`, SIGN_IN_LIMITS.perAddress),
    hitRateLimit(services.db, `sign-in:ip:${client.ip}`, SIGN_IN_LIMITS.perIp),
  ]);
  if (counts.some((c) => !c.allowed)) throw new AppError("RATE_LIMITED", "signIn.tooMany");
  const [user] = await services.db
    .select({ id: users.id, role: users.role, passwordHash: users.passwordHash })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email}`, isNull(users.deactivatedAt)))
    .limit(1);
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user?.passwordHash || !ok) throw new AppError("INVALID", "signIn.invalid");
  const token = await createSession(services.db, user.id, client.userAgent);
  return { token, userId: user.id, role: user.role };
}

export const forgotPasswordSchema = z.object({
  email: limitedText(254, "form.tooLong").toLowerCase().pipe(z.email({ error: "form.invalidEmail" })),
});

/**
 * Sends a reset link when the address belongs to an account. The caller always shows the
 * same answer, so the page never reveals whether an address exists.
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
  await dispatchOutbox(services.queue, [outboxId]);
}
