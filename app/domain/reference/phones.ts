import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * A stored E.164 number (+33612345678) as people read it: "06 12 34 56 78" for a French number,
 * "+44 20 7946 0958" for another country. Server-side only: the phone metadata stays out of
 * the pages' JavaScript.
 */
export function displayPhone(e164: string): string {
  const phone = e164 ? parsePhoneNumberFromString(e164) : undefined;
  if (!phone) return e164;
  return phone.country === "FR" ? phone.formatNational() : phone.formatInternational();
}
