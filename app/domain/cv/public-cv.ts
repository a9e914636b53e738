import type { BusinessLine, ContractType } from "~/domain/reference/lists";

/**
 * The only shape a CV takes on a public surface (page, gallery, preview image, public PDF,
 * search). It has no field for an e-mail, a phone, an address, the full last name or the
 * coach: what is not here cannot leak.
 */
export type PublicCv = {
  slug: string;
  firstName: string;
  /** "B." — the initial of the last name, never the name. */
  lastInitial: string;
  /** Absolute or root-relative URL of the 400×400 photo, or null. */
  photoUrl: string | null;
  catchphrase: string;
  story: string;
  goals: { businessLine: BusinessLine; job: string }[];
  skills: string[];
  experiences: {
    kind: "experience" | "training";
    title: string;
    organisation: string;
    place: string;
    start: string;
    end: string;
    description: string;
  }[];
  languages: { name: string; level: string }[];
  contracts: ContractType[];
  departments: string[];
  availability: string;
  transport: string;
  drivingLicence: boolean;
  passions: string[];
  testimonials: { name: string; relation: string; text: string }[];
  /** "employed" when the candidate found a job; `employedUntil` (YYYY-MM-DD) when it ends. */
  employment: { status: "searching" } | { status: "employed"; until: string | null };
  /** The published version: caches of the page, image and PDF are keyed by it. */
  versionId: string;
};

/** The complete CV, for the candidate, their coach and staff only: adds contact details. */
export type CompleteCv = PublicCv & {
  lastName: string;
  email: string;
  phone: string | null;
  coachName: string | null;
};
