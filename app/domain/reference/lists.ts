/**
 * Reference lists from the programme. Values are stable English identifiers stored in the
 * database; their French and English labels live in the i18n catalogue (`businessLine.*`,
 * `contract.*`). A value that leaves a list stays readable but leaves the forms.
 */
export const businessLines = [
  "logistics",
  "administration",
  "construction",
  "hospitality",
  "retail",
  "personal_care",
  "cleaning",
  "industry",
  "crafts",
  "transport",
  "digital",
  "security",
  "communication",
  "culture",
  "agriculture",
  "social",
  "finance_legal_hr",
  "health",
] as const;
export type BusinessLine = (typeof businessLines)[number];

export const contractTypes = [
  "cdi",
  "cdd_long",
  "cdd_short",
  "insertion",
  "apprenticeship",
  "temping",
  "internship",
  "certified_training",
  "immersion",
  "other",
] as const;
export type ContractType = (typeof contractTypes)[number];
