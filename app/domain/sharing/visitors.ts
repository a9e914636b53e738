import { createHmac } from "node:crypto";
import { networkOf } from "~/domain/offers/submission-spam";

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

/**
 * The block an address belongs to, as one household, office or attacker holds it: the /24 of an
 * IPv4 address, the /64 of an IPv6 one (what a subscriber gets).
 */
export function addressPrefix(ip: string): string {
  const network = networkOf(ip);
  if (network.includes(":")) return network;
  const octets = network.split(".");
  return octets.length === 4 ? `${octets.slice(0, 3).join(".")}.0/24` : network;
}

/**
 * The day's pseudonym of an address block: with it, the counters cap what one block adds to a CV
 * in a day however many browsers it pretends to be. Like `visitorHash`, it cannot be linked across days.
 */
export function prefixHash(secret: string, day: string, ip: string): string {
  return createHmac("sha256", `${secret}:${day}:prefix`).update(addressPrefix(ip)).digest("base64url").slice(0, 32);
}
