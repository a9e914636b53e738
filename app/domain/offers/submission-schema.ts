import { parsePhoneNumberFromString } from "libphonenumber-js";
import { z } from "zod";
import { departmentCodes } from "~/domain/reference/departments";
import { businessLines, contractTypes } from "~/domain/reference/lists";
import { crossFieldCheck } from "~/domain/forms/zod";
import { hasMarkup, hasWebAddress, postedBytesWithin } from "~/domain/text";
import type { MessageKey } from "~/i18n";

/**
 * The employer's offer form: one zod schema shared by the page and the domain. Every message is
 * a catalogue key; every text has a size limit (the page repeats it as `maxLength`).
 */
export const OFFER_LIMITS = {
  company: 120,
  recruiterName: 120,
  recruiterPosition: 120,
  email: 254,
  phone: 40,
  jobTitle: 120,
  description: 4000,
  prerequisites: 2000,
  hours: 120,
  salary: 120,
  address: 200,
  message: 1500,
} as const;
export const MAX_PLACES = 10;
export const MAX_CANDIDATES = 20;
export const MAX_POSITIONS = 50;
/** A start date further than this is a typo (or a bot), not a plan. */
const MAX_START_YEARS_AHEAD = 2;
/** "Dès que possible" is often typed as a date already passed by a few weeks. */
const MAX_START_DAYS_BEHIND = 31;

export const audiences = ["public", "candidates"] as const;
export type Audience = (typeof audiences)[number];

const tooLong: Record<number, MessageKey> = {
  40: "offerForm.error.tooLong40",
  120: "offerForm.error.tooLong120",
  200: "offerForm.error.tooLong200",
  254: "offerForm.error.tooLong254",
  1500: "offerForm.error.tooLong1500",
  2000: "offerForm.error.tooLong2000",
  4000: "offerForm.error.tooLong4000",
};

// C0/C1 control characters (NUL cannot even be stored by PostgreSQL); line breaks stay in long texts.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_AND_BREAKS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Anything but a string (a repeated field, a file) is refused with its own message. */
const aString = () =>
  z.preprocess((value) => (value === undefined || value === null ? "" : value), z.string({ error: "offerForm.error.notText" }));

/**
 * A text field: size checked first on what was posted (it stops the schema), then cleaned of
 * control characters, trimmed and measured again; one-line fields then refuse markup and web
 * addresses — linear checks that only ever see a text within its limit (~/domain/text).
 */
function text(max: keyof typeof tooLong, { required = false, multiline = false } = {}) {
  const cleaned = aString()
    .refine(postedBytesWithin(max), { message: tooLong[max], abort: true })
    .transform((value) =>
      multiline ? value.normalize("NFC").replace(CONTROL, "").replace(/\r\n?/g, "\n").trim() : value.normalize("NFC").replace(CONTROL_AND_BREAKS, " ").replace(/\s+/g, " ").trim(),
    );
  let checked = z.string().max(max, { message: tooLong[max], abort: true });
  if (required) checked = checked.min(1, "form.required");
  // One-line fields are repeated in the receipt e-mail sent before moderation: no web address in
  // them, so the form cannot be used to mail a link in our name to anyone.
  if (!multiline) checked = checked.refine((value) => !hasMarkup(value), "form.noMarkup").refine((value) => !hasWebAddress(value), "offerForm.error.noLink");
  return cleaned.pipe(checked);
}

/** French and international numbers to E.164 ("06 12 34 56 78", "0033 6…" → "+33612345678"). */
export function normalisePhone(value: string): string | null {
  const typed = value.trim().replace(/^00/, "+");
  if (typed.length > OFFER_LIMITS.phone || !/^\+?[\d\s.()/-]+$/.test(typed)) return null;
  const parsed = parsePhoneNumberFromString(typed, "FR");
  return parsed?.isValid() ? parsed.number : null;
}

const phone = aString()
  .transform((value) => value.trim())
  .pipe(z.string().min(1, "form.required").max(OFFER_LIMITS.phone, "offerForm.error.phone"))
  .transform((value, ctx) => {
    const normalised = normalisePhone(value);
    if (!normalised) ctx.addIssue({ code: "custom", message: "offerForm.error.phone" });
    return normalised ?? "";
  });

const email = aString()
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.string().min(1, "form.required").max(OFFER_LIMITS.email, tooLong[254]).pipe(z.email({ error: "form.invalidEmail" })));

/** YYYY-MM-DD that names a real day, or empty (null). */
const day = aString()
  .transform((value) => value.trim())
  .pipe(
    z
      .string()
      .max(10, "offerForm.error.date")
      .refine((value) => value === "" || isRealDay(value), "offerForm.error.date"),
  )
  .transform((value) => value || null);

export function isRealDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A checkbox: absent or empty is "no"; a browser sends "on". */
const checkbox = z.preprocess(
  (value) => (value === undefined || value === "" ? false : value === "on" || value === "1" || value === "true" ? true : value),
  z.boolean({ error: "form.invalidChoice" }),
);

const choice = <T extends readonly [string, ...string[]]>(values: T, required: MessageKey) =>
  z.preprocess((value) => (value === undefined || value === "" ? undefined : value), z.enum(values, { error: (issue) => (issue.input === undefined ? required : "form.invalidChoice") }));

const positions = z.preprocess(
  (value) => (value === undefined || value === "" ? "1" : value),
  z
    .string({ error: "offerForm.error.positions" })
    .trim()
    .regex(/^\d{1,3}$/, "offerForm.error.positions")
    .transform(Number)
    .pipe(z.number().min(1, "offerForm.error.positions").max(MAX_POSITIONS, "offerForm.error.positions")),
);

const place = z.object({
  /** The row of the page it came from, to put its errors back in the right place. */
  row: z.number().optional(),
  department: choice(departmentCodes, "offerForm.error.department"),
  address: text(200, { required: true }),
});

const slug = z.string().regex(/^[a-z0-9-]{1,60}$/, "offerForm.error.unknownCandidate");

export const offerFormSchema = z
  .object({
    audience: choice(audiences, "offerForm.error.audience"),
    candidates: z.preprocess(
      (value) => (value === undefined || value === "" ? [] : typeof value === "string" ? [value] : value),
      z.array(slug, { error: "offerForm.error.unknownCandidate" }).max(MAX_CANDIDATES, "offerForm.error.tooManyCandidates"),
    ),
    company: text(120, { required: true }),
    recruiterName: text(120, { required: true }),
    recruiterPosition: text(120),
    email,
    phone,
    jobTitle: text(120, { required: true }),
    businessLine: choice(businessLines, "offerForm.error.businessLine"),
    contractType: choice(contractTypes, "offerForm.error.contractType"),
    description: text(4000, { required: true, multiline: true }),
    prerequisites: text(2000, { multiline: true }),
    startDate: day,
    endDate: day,
    partTime: checkbox,
    hours: text(120),
    salary: text(120),
    drivingLicence: checkbox,
    positions,
    places: z.array(place, { error: "offerForm.error.department" }).min(1, "offerForm.error.department").max(MAX_PLACES, "offerForm.error.tooManyPlaces"),
    message: text(1500, { multiline: true }),
  })
  // Runs even when some fields failed (so every mistake shows at once): values may be partial.
  .superRefine((offer, ctx) => {
    if (offer.audience === "candidates" && Array.isArray(offer.candidates) && offer.candidates.length === 0) {
      ctx.addIssue({ code: "custom", path: ["candidates"], message: "offerForm.error.noCandidate" });
    }
    if (typeof offer.startDate === "string" && isRealDay(offer.startDate)) {
      const today = Date.now();
      const startsAt = Date.parse(`${offer.startDate}T00:00:00Z`);
      if (startsAt > today + MAX_START_YEARS_AHEAD * 366 * 86_400_000 || startsAt < today - MAX_START_DAYS_BEHIND * 86_400_000) {
        ctx.addIssue({ code: "custom", path: ["startDate"], message: "offerForm.error.startDateRange" });
      }
    }
    const start = typeof offer.startDate === "string" && isRealDay(offer.startDate) ? offer.startDate : null;
    const end = typeof offer.endDate === "string" && isRealDay(offer.endDate) ? offer.endDate : null;
    if (start && end && end < start) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "offerForm.error.endBeforeStart" });
    }
    if (end && !start && Date.parse(`${end}T00:00:00Z`) < Date.now() - 86_400_000) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "offerForm.error.endBeforeStart" });
    }
  }, crossFieldCheck)
  .transform((offer) => ({
    ...offer,
    isPublicOffer: offer.audience === "public",
    candidates: offer.audience === "public" ? [] : [...new Set(offer.candidates)],
  }));

export type OfferForm = z.output<typeof offerFormSchema>;

/** Field names as the page knows them: places are `department-0`, `address-1`… */
export function offerFieldErrors(error: z.ZodError, input: Record<string, unknown>): Record<string, MessageKey> {
  const rows = Array.isArray(input.places) ? (input.places as { row?: unknown }[]).map((place) => place.row) : [];
  const errors: Record<string, MessageKey> = {};
  for (const issue of error.issues) {
    const [first, index, inner] = issue.path;
    let field = String(first ?? "form");
    if (first === "places") field = typeof index === "number" && inner ? `${String(inner)}-${Number(rows[index] ?? index)}` : "department-0";
    errors[field] ??= issue.message as MessageKey;
  }
  return errors;
}

const SINGLE_FIELDS = [
  "audience",
  "company",
  "recruiterName",
  "recruiterPosition",
  "email",
  "phone",
  "jobTitle",
  "businessLine",
  "contractType",
  "description",
  "prerequisites",
  "startDate",
  "endDate",
  "partTime",
  "hours",
  "salary",
  "drivingLicence",
  "positions",
  "message",
] as const;

/** One value, several (a hostile repeat, handed on as an array for zod to refuse), or none. */
function valueOf(form: FormData, name: string): unknown {
  const all = form.getAll(name);
  if (all.length === 0) return undefined;
  return all.length === 1 ? all[0] : all;
}

/** The number of workplace rows the page shows (the hidden `places` field, kept in bounds). */
export function placeCount(value: unknown): number {
  const count = typeof value === "string" && /^\d{1,2}$/.test(value) ? Number(value) : 1;
  return Math.min(Math.max(count, 1), MAX_PLACES);
}

/**
 * The posted form as the schema reads it. Workplace rows left entirely empty are dropped (the
 * page always shows one more than needed); unknown fields are ignored.
 */
export function offerInputFromForm(form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const name of SINGLE_FIELDS) input[name] = valueOf(form, name);
  input.candidates = form.getAll("candidates");
  const places: { row: number; department: unknown; address: unknown }[] = [];
  for (let i = 0; i < MAX_PLACES + 1; i++) {
    const department = valueOf(form, `department-${i}`);
    const address = valueOf(form, `address-${i}`);
    if ((department === undefined || department === "") && (address === undefined || address === "")) continue;
    places.push({ row: i, department, address });
  }
  input.places = places.length > 0 ? places : [{ row: 0, department: undefined, address: undefined }];
  return input;
}
