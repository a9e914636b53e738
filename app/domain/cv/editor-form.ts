import { CV_LIMITS, emptyCvContent, type CvContent } from "./content";
import { CV_FIELDS, type ConflictResolution, type CvField } from "./merge";

/**
 * The editor is one plain HTML form (it works without JavaScript). Fields are named by path
 * ("goals.0.job", "skills.2"); buttons carry an intent ("add:experiences", "remove:skills.1",
 * "up:experiences.2") that is applied after reading what was typed, so nothing typed is lost.
 */
export type ListSection = "goals" | "skills" | "experiences" | "languages" | "passions" | "testimonials";
const listSections: ListSection[] = ["goals", "skills", "experiences", "languages", "passions", "testimonials"];

const itemFields: Record<Exclude<ListSection, "skills" | "passions">, string[]> = {
  goals: ["businessLine", "job"],
  experiences: ["kind", "title", "organisation", "place", "start", "end", "description"],
  languages: ["name", "level"],
  testimonials: ["name", "relation", "text"],
};

const str = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

const FOCUS_POINTS = { center: { x: 0.5, y: 0.5 }, top: { x: 0.5, y: 0 }, bottom: { x: 0.5, y: 1 } } as const;

/**
 * The photo posted with a save, if any (an empty file input posts an empty file), and the point
 * to keep in the middle of the square: the centre, the top or the bottom of the picture.
 */
export function postedPhoto(form: FormData): { file: Blob; crop: { x: number; y: number } } | null {
  const file = form.get("photo");
  if (typeof file === "string" || !file || file.size === 0) return null;
  const focus = str(form.get("focus"));
  return { file, crop: focus in FOCUS_POINTS ? FOCUS_POINTS[focus as keyof typeof FOCUS_POINTS] : FOCUS_POINTS.center };
}

/** Reads the posted form into CV content (not yet validated: the zod schema does that). */
export function readCvForm(form: FormData, photoId: string | null): CvContent {
  const content = emptyCvContent();
  content.catchphrase = str(form.get("catchphrase"));
  content.story = str(form.get("story"));
  content.availability = str(form.get("availability"));
  content.transport = str(form.get("transport"));
  content.drivingLicence = form.get("drivingLicence") === "on";
  content.contracts = form.getAll("contracts").map(str) as CvContent["contracts"];
  content.departments = form.getAll("departments").map(str).filter(Boolean) as CvContent["departments"];
  content.photoId = form.get("removePhoto") === "on" ? null : photoId;
  for (const section of listSections) {
    const count = Math.min(Number(str(form.get(`${section}.count`))) || 0, 50);
    const items: unknown[] = [];
    for (let i = 0; i < count; i++) {
      if (section === "skills" || section === "passions") {
        items.push(str(form.get(`${section}.${i}`)));
      } else {
        items.push(Object.fromEntries(itemFields[section].map((field) => [field, str(form.get(`${section}.${i}.${field}`))])));
      }
    }
    (content as Record<string, unknown>)[section] = items;
  }
  return content;
}

const blank: Record<ListSection, () => unknown> = {
  goals: () => ({ businessLine: "", job: "" }),
  skills: () => "",
  experiences: () => ({ kind: "experience", title: "", organisation: "", place: "", start: "", end: "", description: "" }),
  languages: () => ({ name: "", level: "" }),
  passions: () => "",
  testimonials: () => ({ name: "", relation: "", text: "" }),
};

const maxItems: Record<ListSection, number> = {
  goals: CV_LIMITS.goals,
  skills: CV_LIMITS.skills,
  experiences: CV_LIMITS.experiences,
  languages: CV_LIMITS.languages,
  passions: CV_LIMITS.passions,
  testimonials: CV_LIMITS.testimonials,
};

/** Applies an add/remove/move intent to the content; returns null for a plain save. */
export function applyListIntent(content: CvContent, intent: string): CvContent | null {
  const match = intent.match(/^(add|remove|up|down):(\w+)(?:\.(\d+))?$/);
  if (!match) return null;
  const [, action, section, indexText] = match;
  if (!listSections.includes(section as ListSection)) return null;
  const key = section as ListSection;
  const list = [...(content[key] as unknown[])];
  const index = Number(indexText ?? -1);
  if (action === "add" && list.length < maxItems[key]) list.push(blank[key]());
  if (action === "remove" && index >= 0 && index < list.length) list.splice(index, 1);
  if (action === "up" && index > 0 && index < list.length) [list[index - 1], list[index]] = [list[index], list[index - 1]];
  if (action === "down" && index >= 0 && index < list.length - 1) [list[index + 1], list[index]] = [list[index], list[index + 1]];
  return { ...content, [key]: list } as CvContent;
}

/**
 * The content sent back to the page (after "add", a refusal…) holds at most twice each field's
 * limit: the page shows what was typed, and an oversized post is not copied back whole into
 * the answer. (The browser's `maxLength` stops a person well before.)
 */
export function clipForEcho(content: CvContent): CvContent {
  const clip = (value: string, max: number) => (typeof value === "string" ? value.slice(0, 2 * max) : value);
  return {
    ...content,
    catchphrase: clip(content.catchphrase, CV_LIMITS.catchphrase),
    story: clip(content.story, CV_LIMITS.story),
    availability: clip(content.availability, CV_LIMITS.shortText),
    transport: clip(content.transport, CV_LIMITS.shortText),
    goals: content.goals.map((g) => ({ ...g, businessLine: clip(g.businessLine, 40) as typeof g.businessLine, job: clip(g.job, CV_LIMITS.job) })),
    skills: content.skills.map((s) => clip(s, CV_LIMITS.skill)),
    experiences: content.experiences.map((e) => ({
      ...e,
      kind: clip(e.kind, 20) as typeof e.kind,
      title: clip(e.title, CV_LIMITS.experienceTitle),
      organisation: clip(e.organisation, CV_LIMITS.experienceTitle),
      place: clip(e.place, CV_LIMITS.job),
      start: clip(e.start, 7),
      end: clip(e.end, 7),
      description: clip(e.description, CV_LIMITS.experienceText),
    })),
    languages: content.languages.map((l) => ({ name: clip(l.name, 40), level: clip(l.level, 40) })),
    passions: content.passions.map((p) => clip(p, CV_LIMITS.passion)),
    testimonials: content.testimonials.map((t) => ({ name: clip(t.name, 80), relation: clip(t.relation, 80), text: clip(t.text, CV_LIMITS.testimonialText) })),
    contracts: content.contracts.slice(0, 20).map((c) => clip(c, 20) as typeof c),
    departments: content.departments.slice(0, 120).map((d) => clip(d, 3) as typeof d),
  };
}

/** Empty items left by "add" are not errors: they are dropped before validation on a save. */
export function dropEmptyItems(content: CvContent): CvContent {
  const filled = (value: unknown) =>
    typeof value === "string" ? value.trim() !== "" : Object.entries(value as object).some(([k, v]) => k !== "kind" && k !== "businessLine" && String(v).trim() !== "");
  return {
    ...content,
    goals: content.goals.filter((g) => g.job.trim() !== "" || (g.businessLine as string) !== ""),
    skills: content.skills.filter(filled),
    experiences: content.experiences.filter(filled),
    languages: content.languages.filter(filled),
    passions: content.passions.filter(filled),
    testimonials: content.testimonials.filter(filled),
  };
}

/**
 * The settling of a conflict posted with a retry (decision 017): `conflictBase` (the revision the
 * refused save started from), one hidden `conflicts` per field changed on both sides, and the
 * radio `choice.<field>` ("mine" or "theirs"). Undefined for an ordinary save.
 */
export function readConflictResolution(form: FormData): ConflictResolution | undefined {
  const conflictBase = str(form.get("conflictBase"));
  if (conflictBase === "") return undefined;
  const pending = [...new Set(form.getAll("conflicts").map(str))].filter((field): field is CvField => (CV_FIELDS as string[]).includes(field));
  const choices: ConflictResolution["choices"] = {};
  for (const field of pending) {
    const choice = str(form.get(`choice.${field}`));
    if (choice === "mine" || choice === "theirs") choices[field] = choice;
  }
  return { conflictBase: Number(conflictBase), pending, choices };
}
