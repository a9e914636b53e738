import type { MessageKey, Translate } from "~/i18n";

const heldReasons = ["honeypot", "too_fast", "no_stamp", "stale_stamp", "flood"] as const;

/** Why the form held an offer back ("honeypot,flood" as stored), in words; an unknown code stays as it is. */
export function heldReasonText(t: Translate, raw: string | null): string {
  if (!raw) return "—";
  return raw
    .split(",")
    .map((code) => ((heldReasons as readonly string[]).includes(code) ? t(`moderation.heldReason.${code}` as MessageKey) : code))
    .join(" ; ");
}
