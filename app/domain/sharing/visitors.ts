import { createHmac } from "node:crypto";

/** The day in France (YYYY-MM-DD): counters de-duplicate per visitor per day. */
export function parisDay(date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

/**
 * A visitor's pseudonym for one day: HMAC of IP and browser, keyed by the server secret and the
 * day. The IP address itself is never stored, and two days' pseudonyms cannot be linked.
 */
export function visitorHash(secret: string, day: string, ip: string, userAgent: string): string {
  return createHmac("sha256", `${secret}:${day}`).update(`${ip}\n${userAgent}`).digest("base64url").slice(0, 32);
}
