import type { Translate } from "~/i18n";
import type { MessageKey } from "~/i18n";
import { department, departmentLabel, regions, type RegionCode } from "~/domain/reference/departments";

/**
 * Why an offer and a CV fit, as data: the server ranks, the page says it in the reader's language.
 * Pure (no database): pages import it to put the reasons into words.
 */
export type MatchReason =
  | { kind: "businessLine"; value: string }
  | { kind: "department"; value: string }
  | { kind: "region"; value: string }
  | { kind: "contract"; value: string };

/** Points per reason: the trade first, then the place, then the contract. */
export const MATCH_POINTS = { businessLine: 4, department: 2, region: 1, contract: 1 } as const;

/** The reasons an offer fits a CV, best first (what the SQL scores, said again for the page). */
export function reasonsFor(
  offer: { businessLine: string; department: string; contractType: string },
  cv: { businessLines: string[]; departments: string[]; regions: string[]; contracts: string[] },
): MatchReason[] {
  const reasons: MatchReason[] = [];
  if (cv.businessLines.includes(offer.businessLine)) reasons.push({ kind: "businessLine", value: offer.businessLine });
  const region = department(offer.department)?.region;
  if (cv.departments.includes(offer.department)) reasons.push({ kind: "department", value: offer.department });
  else if (region && cv.regions.includes(region)) reasons.push({ kind: "region", value: region });
  if (cv.contracts.includes(offer.contractType)) reasons.push({ kind: "contract", value: offer.contractType });
  return reasons;
}

/** "Même métier : Commerce", "Même département : Paris (75)", "Même région : Île-de-France", "Contrat souhaité : CDI". */
export function reasonText(t: Translate, reason: MatchReason): string {
  switch (reason.kind) {
    case "businessLine":
      return t("matching.reason.businessLine", { label: t(`businessLine.${reason.value}` as MessageKey) });
    case "department":
      return t("matching.reason.department", { label: departmentLabel(reason.value) });
    case "region":
      return t("matching.reason.region", { label: regions[reason.value as RegionCode] ?? reason.value });
    case "contract":
      return t("matching.reason.contract", { label: t(`contract.${reason.value}` as MessageKey) });
  }
}
