import { departmentCodes } from "~/domain/reference/departments";
import { contractTypes } from "~/domain/reference/lists";
import type { CvContent } from "./content";

/**
 * The three-way merge of two people writing one CV at once (decision 017). `base` is the version
 * the editor started from, `theirs` the version saved meanwhile by someone else, `mine` what the
 * editor submits. The unit is a top-level field of the CV: a text, a yes/no, the photo, or a whole
 * list (goals, skills, experiences, languages, passions, testimonials). The two choice sets
 * (contracts, departments) merge item by item: what one side added or removed is added or removed,
 * so they never conflict.
 *
 * Pure and shared by the server (a form posted without JavaScript) and the browser (autosave).
 */
export type CvField = keyof CvContent;

export const CV_FIELDS: readonly CvField[] = [
  "photoId",
  "catchphrase",
  "story",
  "goals",
  "skills",
  "experiences",
  "languages",
  "contracts",
  "departments",
  "availability",
  "transport",
  "drivingLicence",
  "passions",
  "testimonials",
];

const setFields: Partial<Record<CvField, readonly string[]>> = { contracts: contractTypes, departments: departmentCodes };

export type CvMerge = {
  /** The content to put back in the form: theirs where only they changed, mine elsewhere. */
  merged: CvContent;
  /** Fields where the other person's change was taken. */
  taken: CvField[];
  /** Fields where your change was kept. */
  kept: CvField[];
  /** Fields both changed to different values: `merged` holds yours until a choice is made. */
  both: CvField[];
};

/** Deep equality of JSON values, whatever the key order (JSONB does not keep it). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    return keysA.length === keysB.length && keysA.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** Item by item: kept if no side removed it, added if one side added it; in the list's own order. */
function mergeSet(order: readonly string[], base: string[], theirs: string[], mine: string[]): string[] {
  const all = new Set([...base, ...theirs, ...mine]);
  const kept = [...all].filter((item) => (base.includes(item) ? theirs.includes(item) && mine.includes(item) : theirs.includes(item) || mine.includes(item)));
  const rank = (item: string) => {
    const i = order.indexOf(item);
    return i < 0 ? order.length : i;
  };
  return kept.sort((a, b) => rank(a) - rank(b));
}

/**
 * Merges field by field. Without a base (an unknown or bogus starting revision) every field that
 * differs counts as changed on both sides: nothing is taken or kept without asking.
 */
export function mergeCv(base: CvContent | null, theirs: CvContent, mine: CvContent): CvMerge {
  const merged = { ...mine } as Record<CvField, unknown>;
  const result: CvMerge = { merged: merged as CvContent, taken: [], kept: [], both: [] };
  for (const field of CV_FIELDS) {
    const t = theirs[field];
    const m = mine[field];
    if (sameValue(t, m)) {
      merged[field] = t;
      continue;
    }
    const theyChanged = !base || !sameValue(base[field], t);
    const iChanged = !base || !sameValue(base[field], m);
    const order = setFields[field];
    if (base && order && theyChanged && iChanged) {
      merged[field] = mergeSet(order, base[field] as string[], t as string[], m as string[]);
      result.taken.push(field);
      result.kept.push(field);
    } else if (theyChanged && iChanged) {
      merged[field] = m;
      result.both.push(field);
    } else if (theyChanged) {
      merged[field] = t;
      result.taken.push(field);
    } else {
      merged[field] = m;
      result.kept.push(field);
    }
  }
  return result;
}

export type ConflictChoice = "mine" | "theirs";

/** The merge with the person's choices applied: "theirs" takes the other's saved value. */
export function applyChoices(merge: CvMerge, theirs: CvContent, choices: Partial<Record<CvField, ConflictChoice>>): CvContent {
  const content = { ...merge.merged } as Record<CvField, unknown>;
  for (const field of merge.both) if (choices[field] === "theirs") content[field] = theirs[field];
  return content as CvContent;
}

/** How a person settled a conflict: the revision they first started from, and their choices. */
export type ConflictResolution = {
  /** The revision the first, refused save started from. */
  conflictBase: number;
  /** The fields both people changed, shown side by side, each needing a choice. */
  pending: CvField[];
  choices: Partial<Record<CvField, ConflictChoice>>;
};

/**
 * What a refused save needs to show (decision 017): the version the editor started from (null
 * when unknown), the version saved meanwhile and who saved it, and what the editor submitted.
 * The editor merges them with `mergeCv`, on the server without JavaScript, in the browser with.
 */
export type CvConflictView = {
  /** The revision the editor started from, or null when it is unknown. */
  baseRevision: number | null;
  /** The stored revision now: the retry builds on it. */
  revision: number;
  /** The first name of the last other person who saved since, if any. */
  otherName: string | null;
  base: CvContent | null;
  theirs: CvContent;
  mine: CvContent;
};
