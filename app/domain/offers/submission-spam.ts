import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "~/db/client.server";
import { hitRateLimit } from "~/domain/accounts/rate-limit";

/**
 * Spam held back without a CAPTCHA (decision 012). A likely-spam offer is still stored, with
 * status "held" and its reasons, for staff to look at; it reaches no candidate and sends no
 * e-mail; the visitor sees the usual confirmation, so a bot learns nothing.
 */
export const HONEYPOT_FIELD = "website";
/** A person needs more than this to fill the form; a script does not. */
export const MIN_FILL_MS = 3_000;
/** Valid submissions per IP and hour before the next ones are held… */
export const FLOOD_LIMIT = 5;
/** …and past this, refused outright (429) without storing anything. */
export const HARD_LIMIT = 20;
const WINDOW_SECONDS = 3600;

/** A form shown more than this long ago is likely a stamp kept by a script and reused. */
export const MAX_FILL_MS = 12 * 3600_000;

export type HeldReason = "honeypot" | "too_fast" | "no_stamp" | "stale_stamp" | "flood";

const stampMac = (secret: string, ms: number) => createHmac("sha256", secret).update(`offer-form-started:${ms}`).digest("base64url").slice(0, 32);

/** The hidden stamp the page carries: when the form was shown, signed so it cannot be forged. */
export function signFormStamp(secret: string, startedAt: number = Date.now()): string {
  return `${startedAt}.${stampMac(secret, startedAt)}`;
}

/** When the form was shown, or null for a missing, malformed or forged stamp (or one from the future). */
export function readFormStamp(secret: string, stamp: unknown, now = Date.now()): number | null {
  if (typeof stamp !== "string" || !/^\d{13}\.[A-Za-z0-9_-]{32}$/.test(stamp)) return null;
  const [msText, mac] = stamp.split(".") as [string, string];
  const ms = Number(msText);
  const expected = Buffer.from(stampMac(secret, ms));
  if (!timingSafeEqual(expected, Buffer.from(mac)) || ms > now + 60_000) return null;
  return ms;
}

/** The reasons to hold a valid submission back, before counting it against the IP. */
export function spamSigns(secret: string, { honeypot, stamp }: { honeypot: unknown; stamp: unknown }, now = Date.now()): HeldReason[] {
  const reasons: HeldReason[] = [];
  if (honeypot !== undefined && honeypot !== null && honeypot !== "") reasons.push("honeypot");
  const startedAt = readFormStamp(secret, stamp, now);
  if (startedAt === null) reasons.push("no_stamp");
  else if (now - startedAt < MIN_FILL_MS) reasons.push("too_fast");
  else if (now - startedAt > MAX_FILL_MS) reasons.push("stale_stamp");
  return reasons;
}

/**
 * Counts one valid submission for the IP (shared by every web process: the counter is in
 * PostgreSQL). Invalid submissions are not counted, so a person correcting mistakes is never held.
 */
export async function floodCheck(db: Db, ip: string): Promise<"ok" | "held" | "refused"> {
  const { count } = await hitRateLimit(db, `offer-form:${networkOf(ip)}`, { limit: FLOOD_LIMIT, windowSeconds: WINDOW_SECONDS });
  if (count > HARD_LIMIT) return "refused";
  return count > FLOOD_LIMIT ? "held" : "ok";
}

/**
 * The unit a flood is counted by: an IPv4 address, or the /64 an IPv6 address belongs to (one
 * subscriber gets a whole /64, so counting single IPv6 addresses would count nothing).
 */
export function networkOf(ip: string): string {
  const address = ip.replace(/^::ffff:/i, "");
  if (!address.includes(":")) return address;
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
