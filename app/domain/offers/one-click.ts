import { createHmac, timingSafeEqual } from "node:crypto";
import { displayPhone } from "~/domain/reference/phones";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { candidateOffers, offers, users, type FollowUpStatus } from "~/db/schema";
import type { Actor } from "~/domain/accounts/permissions";
import type { Services } from "~/services.server";

/**
 * Signed one-click links in the candidate's e-mails ("J'ai contacté le recruteur" in one tap, no
 * sign-in): `/suivi-offre/:token`. Nothing is stored: the token carries the candidate, the offer,
 * the action and an expiry, signed with the session secret (HMAC-SHA256, domain-separated so no
 * other signature of ours is accepted here). Opening the link changes nothing (mail scanners
 * follow links); the page's button applies the action through the follow-up functions, acting as
 * the candidate, so the state machine, the log and the contact reveal all apply.
 * No table: a link may be used again until it expires, which is harmless since every action is
 * idempotent (done again = nothing changes, nothing logged) and only moves an offer forward.
 */

export const oneClickActions = ["contacted", "interested", "not_for_me"] as const;
export type OneClickAction = (typeof oneClickActions)[number];

/** How long a link in an e-mail works: long enough for a reminder read late. */
export const ONE_CLICK_DAYS = 30;

const PURPOSE = "offer-one-click:v1";
const SIGNATURE_BYTES = 16;
/** payload = candidate (16) + offer (16) + action (1) + expiry in seconds (4); base64url, then "." and the signature. */
const PAYLOAD_BYTES = 37;
const tokenShape = /^[A-Za-z0-9_-]{50}\.[A-Za-z0-9_-]{22}$/;

const uuidToBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ""), "hex");
function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
const mac = (secret: string, payload: string) => createHmac("sha256", secret).update(`${PURPOSE}:${payload}`).digest().subarray(0, SIGNATURE_BYTES);

export type OneClickClaims = { candidateId: string; offerId: string; action: OneClickAction; expiresAt: Date };

/** The token of a link. `expiresAt` defaults to 30 days from now (tests sign expired ones). */
export function signOneClick(secret: string, claims: Omit<OneClickClaims, "expiresAt"> & { expiresAt?: Date }): string {
  const expiresAt = claims.expiresAt ?? new Date(Date.now() + ONE_CLICK_DAYS * 86_400_000);
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  uuidToBytes(claims.candidateId).copy(payload, 0);
  uuidToBytes(claims.offerId).copy(payload, 16);
  payload.writeUInt8(oneClickActions.indexOf(claims.action), 32);
  payload.writeUInt32BE(Math.max(0, Math.floor(expiresAt.getTime() / 1000)), 33);
  const encoded = payload.toString("base64url");
  return `${encoded}.${mac(secret, encoded).toString("base64url")}`;
}

export type OneClickToken = { state: "valid"; claims: OneClickClaims } | { state: "invalid" } | { state: "expired" };

/** Checks shape, signature (constant time), action and expiry; anything odd is "invalid". */
export function verifyOneClick(secret: string, token: string, now = new Date()): OneClickToken {
  if (!tokenShape.test(token)) return { state: "invalid" };
  const [encoded, signature] = token.split(".") as [string, string];
  // Compared as text, not decoded bytes: base64url ignores the last character's low bits, and a
  // link with any character changed must be refused.
  const expected = Buffer.from(mac(secret, encoded).toString("base64url"));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { state: "invalid" };
  const payload = Buffer.from(encoded, "base64url");
  if (payload.length !== PAYLOAD_BYTES) return { state: "invalid" };
  const action = oneClickActions[payload.readUInt8(32)];
  if (!action) return { state: "invalid" };
  const expiresAt = new Date(payload.readUInt32BE(33) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { state: "expired" };
  return { state: "valid", claims: { candidateId: bytesToUuid(payload.subarray(0, 16)), offerId: bytesToUuid(payload.subarray(16, 32)), action, expiresAt } };
}

/** The full address of a link, for an e-mail. */
export const oneClickLink = (publicUrl: string, secret: string, candidateId: string, offerId: string, action: OneClickAction) =>
  `${publicUrl}/suivi-offre/${signOneClick(secret, { candidateId, offerId, action })}`;

/**
 * Where an action may start from. Only forward moves from an unanswered offer: an old e-mail must
 * never move an offer back (from "entretien" to "contacté", say) — that is for the signed-in page.
 */
const startsFrom: Record<OneClickAction, readonly FollowUpStatus[]> = {
  contacted: ["to_process"],
  interested: ["to_process"],
  not_for_me: ["to_process", "contacted"],
};

type FollowUpRow = { status: FollowUpStatus; contactRevealedAt: Date | null };
const done: Record<OneClickAction, (row: FollowUpRow) => boolean> = {
  contacted: (row) => row.status === "contacted",
  interested: (row) => row.contactRevealedAt !== null,
  not_for_me: (row) => row.status === "refused_before_interview",
};

export type OneClickState = "open" | "done" | "moved_on";

export type OneClickLink =
  | { state: "invalid" }
  | { state: "expired" }
  | {
      state: OneClickState;
      action: OneClickAction;
      candidateId: string;
      offerId: string;
      offer: { jobTitle: string; company: string };
      contact: { name: string; email: string; phone: string; phoneDisplay: string } | null;
    };

/** The candidate as an actor, from their row: only an active candidate acts through a link. */
export async function candidateActor(db: Db, candidateId: string): Promise<Actor | null> {
  const [user] = await db
    .select({ id: users.id, role: users.role, zoneId: users.zoneId, firstName: users.firstName, lastName: users.lastName, locale: users.locale })
    .from(users)
    .where(and(eq(users.id, candidateId), eq(users.role, "candidate"), isNull(users.deactivatedAt)))
    .limit(1);
  return user ?? null;
}

/** What a link points at now, without changing anything (the GET). */
export async function readOneClickLink(services: Services, token: string, now = new Date()): Promise<OneClickLink> {
  const verified = verifyOneClick(services.sessionSecret, token, now);
  if (verified.state !== "valid") return verified;
  const { candidateId, offerId, action } = verified.claims;
  const [row] = await services.db
    .select({
      status: candidateOffers.status,
      contactRevealedAt: candidateOffers.contactRevealedAt,
      jobTitle: offers.jobTitle,
      company: offers.company,
      recruiterName: offers.recruiterName,
      recruiterEmail: offers.recruiterEmail,
      recruiterPhone: offers.recruiterPhone,
    })
    .from(candidateOffers)
    .innerJoin(offers, eq(offers.id, candidateOffers.offerId))
    .innerJoin(users, eq(users.id, candidateOffers.candidateId))
    .where(
      and(
        eq(candidateOffers.candidateId, candidateId),
        eq(candidateOffers.offerId, offerId),
        // As the follow-up shows them: validated offers, or archived later by staff.
        inArray(offers.status, ["validated", "archived"]),
        eq(users.role, "candidate"),
        isNull(users.deactivatedAt),
      ),
    )
    .limit(1);
  if (!row) return { state: "invalid" };
  const state: OneClickState = done[action](row) ? "done" : startsFrom[action].includes(row.status) ? "open" : "moved_on";
  return {
    state,
    action,
    candidateId,
    offerId,
    offer: { jobTitle: row.jobTitle, company: row.company },
    // Shown only once the candidate has engaged (as on their signed-in page).
    contact: row.contactRevealedAt ? { name: row.recruiterName, email: row.recruiterEmail, phone: row.recruiterPhone, phoneDisplay: displayPhone(row.recruiterPhone) } : null,
  };
}

