import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { accountTokens, users, type TokenPurpose } from "~/db/schema";
import { AppError } from "~/http/app-error";
import { hashPassword, passwordProblem } from "./passwords";
import { randomToken, sha256 } from "./secrets";
import { revokeAllSessions } from "./sessions";

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  invitation: 7 * 24 * 3600 * 1000,
  password_reset: 2 * 3600 * 1000,
};

/** Issues a single-use link token; older unused tokens of the same purpose stop working. */
export async function issueAccountToken(db: Db, userId: string, purpose: TokenPurpose): Promise<string> {
  const token = randomToken();
  const now = new Date();
  await db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)));
  await db.insert(accountTokens).values({
    userId,
    purpose,
    tokenHash: sha256(token),
    expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]),
  });
  return token;
}

export async function findValidToken(db: Db, token: string) {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({ id: accountTokens.id, purpose: accountTokens.purpose, userId: accountTokens.userId, firstName: users.firstName })
    .from(accountTokens)
    .innerJoin(users, eq(users.id, accountTokens.userId))
    .where(
      and(
        eq(accountTokens.tokenHash, sha256(token)),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, new Date()),
        isNull(users.deactivatedAt),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Sets the password through a link. The token is consumed in the same statement that checks
 * it, so two clicks racing each other cannot both succeed. Every existing session is closed.
 */
export async function setPasswordWithToken(db: Db, token: string, password: string): Promise<{ userId: string }> {
  const problem = passwordProblem(password);
  if (problem) throw new AppError("INVALID", "form.errorSummary", { password: problem });
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(accountTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(accountTokens.tokenHash, sha256(token)), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, new Date())))
      .returning({ userId: accountTokens.userId });
    if (!used) throw new AppError("NOT_FOUND", "setPassword.invalidLink");
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, used.userId));
    await revokeAllSessions(tx, used.userId);
    return { userId: used.userId };
  });
}
