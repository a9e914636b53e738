import { z } from "zod";
import { hasMarkup, limitedText } from "~/domain/text";
import { departmentCodes } from "~/domain/reference/departments";
import { businessLines, contractTypes } from "~/domain/reference/lists";

/**
 * The CV as the candidate and coach write it: one zod schema, used by the editor's action,
 * the domain and the tests. Messages are i18n keys; limits come from the programme.
 */
export const CV_LIMITS = {
  catchphrase: 80,
  story: 1500,
  goals: 2,
  job: 80,
  skills: 6,
  skill: 40,
  experiences: 20,
  experienceTitle: 100,
  experienceText: 600,
  languages: 8,
  departments: 10,
  passions: 6,
  passion: 40,
  testimonials: 5,
  testimonialText: 600,
  shortText: 200,
} as const;

/** Size first (it stops the schema), then the markup check: see ~/domain/text. */
const text = (max: number) => limitedText(max, "form.tooLong").refine((v) => !hasMarkup(v), "form.noMarkup");
const required = (max: number) => text(max).refine((v) => v.length > 0, "form.required");
const month = z.union([z.literal(""), z.string().max(7, { message: "cv.invalidMonth", abort: true }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, "cv.invalidMonth")]);

export const goalSchema = z.object({
  businessLine: z.enum(businessLines, { error: "form.invalidChoice" }),
  job: required(CV_LIMITS.job),
});

export const experienceSchema = z.object({
  kind: z.enum(["experience", "training"], { error: "form.invalidChoice" }),
  title: required(CV_LIMITS.experienceTitle),
  organisation: text(CV_LIMITS.experienceTitle),
  place: text(CV_LIMITS.job),
  start: month,
  end: month,
  description: text(CV_LIMITS.experienceText),
});

export const languageSchema = z.object({ name: required(40), level: text(40) });
export const testimonialSchema = z.object({
  name: required(80),
  relation: text(80),
  text: required(CV_LIMITS.testimonialText),
});

export const cvContentSchema = z.object({
  catchphrase: text(CV_LIMITS.catchphrase),
  story: text(CV_LIMITS.story),
  goals: z.array(goalSchema).max(CV_LIMITS.goals, "cv.tooManyGoals"),
  skills: z.array(required(CV_LIMITS.skill)).max(CV_LIMITS.skills, "cv.tooManySkills"),
  experiences: z.array(experienceSchema).max(CV_LIMITS.experiences, "cv.tooManyItems"),
  languages: z.array(languageSchema).max(CV_LIMITS.languages, "cv.tooManyItems"),
  contracts: z.array(z.enum(contractTypes, { error: "form.invalidChoice" })).max(contractTypes.length),
  departments: z.array(z.enum(departmentCodes, { error: "form.invalidChoice" })).max(CV_LIMITS.departments, "cv.tooManyItems"),
  availability: text(CV_LIMITS.shortText),
  transport: text(CV_LIMITS.shortText),
  drivingLicence: z.boolean(),
  passions: z.array(required(CV_LIMITS.passion)).max(CV_LIMITS.passions, "cv.tooManyPassions"),
  testimonials: z.array(testimonialSchema).max(CV_LIMITS.testimonials, "cv.tooManyItems"),
  /** The current photo (a row of `cv_photos`), or null. */
  photoId: z.uuid().nullable(),
});

export type CvContent = z.infer<typeof cvContentSchema>;
export type Goal = z.infer<typeof goalSchema>;
export type Experience = z.infer<typeof experienceSchema>;
export type Testimonial = z.infer<typeof testimonialSchema>;

export const emptyCvContent = (): CvContent => ({
  catchphrase: "",
  story: "",
  goals: [],
  skills: [],
  experiences: [],
  languages: [],
  contracts: [],
  departments: [],
  availability: "",
  transport: "",
  drivingLicence: false,
  passions: [],
  testimonials: [],
  photoId: null,
});

/** What must be there before a coach may submit the CV for validation. */
export function missingForSubmission(content: CvContent): string[] {
  const missing: string[] = [];
  if (!content.catchphrase) missing.push("catchphrase");
  if (!content.story) missing.push("story");
  if (content.goals.length === 0) missing.push("goals");
  if (content.skills.length === 0) missing.push("skills");
  return missing;
}
