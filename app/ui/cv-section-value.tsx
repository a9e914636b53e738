import type { SectionChange } from "~/domain/cv/cvs";
import { departmentLabel } from "~/domain/reference/departments";
import type { Locale } from "~/db/schema";
import type { MessageKey, Translate } from "~/i18n";

type Value = SectionChange["before"];
type Section = SectionChange["section"];

/** The name of each section of the CV, as the editor shows it. */
export const cvSectionLabels: Record<Section, MessageKey> = {
  catchphrase: "editor.catchphrase",
  story: "editor.story",
  goals: "editor.goals",
  skills: "editor.skills",
  experiences: "editor.experiences",
  languages: "editor.languages",
  contracts: "editor.contracts",
  departments: "editor.departments",
  availability: "editor.availability",
  transport: "editor.transport",
  drivingLicence: "editor.drivingLicence",
  passions: "editor.passions",
  testimonials: "editor.testimonials",
  photoId: "editor.photo",
};

/** Names an editor field in the error summary: "Compétences 2", "Commentaire"… (paths are "skills.1", "goals.0.job"). */
export function cvFieldLabel(t: Translate, field: string): string | null {
  const others: Record<string, MessageKey> = { photo: "editor.photo", until: "editor.employedUntil", comment: "editor.comment" };
  if (others[field]) return t(others[field]);
  const [section, index] = field.split(".");
  const key = cvSectionLabels[section as Section];
  if (!key) return null;
  const name = t(key).replace(/\s*\([^()]*\)$/, "");
  return index !== undefined && /^\d+$/.test(index) ? `${name} ${Number(index) + 1}` : name;
}

/** "mars 2010" from "2010-03" (the editor's month), "" from "". */
function monthLabel(locale: Locale, month: string): string {
  const [year, m] = month.split("-").map(Number);
  if (!year || !m) return month;
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(year, m - 1, 1)));
}

function dates(t: Translate, locale: Locale, start: string, end: string): string {
  const from = start ? monthLabel(locale, start) : "";
  const to = end ? monthLabel(locale, end) : "";
  if (from && to) return t("cvDoc.dateRange", { start: from, end: to });
  if (from) return t("cvDoc.dateSince", { start: from });
  if (to) return t("cvDoc.dateUntil", { end: to });
  return "";
}

/** The lines a section reads as, in words: labels instead of codes (trades, contracts, departments, kinds). */
function lines(section: Section, value: Value, t: Translate, locale: Locale): string[] {
  const join = (...parts: string[]) => parts.filter(Boolean).join(" — ");
  switch (section) {
    case "goals":
      return (value as Extract<SectionChange, { section: "goals" }>["before"]).map((g) => join(t(`businessLine.${g.businessLine}` as MessageKey), g.job));
    case "experiences":
      return (value as Extract<SectionChange, { section: "experiences" }>["before"]).map((e) =>
        join(t(`editor.kind.${e.kind}`), e.title, e.organisation, e.place, dates(t, locale, e.start, e.end), e.description),
      );
    case "languages":
      return (value as Extract<SectionChange, { section: "languages" }>["before"]).map((l) => (l.level ? t("cvDoc.languageLevel", { name: l.name, level: l.level }) : l.name));
    case "testimonials":
      return (value as Extract<SectionChange, { section: "testimonials" }>["before"]).map((w) => join(w.relation ? `${w.name} (${w.relation})` : w.name, t("cvDoc.quote", { text: w.text })));
    case "contracts":
      return (value as Extract<SectionChange, { section: "contracts" }>["before"]).map((c) => t(`contract.${c}` as MessageKey));
    case "departments":
      return (value as string[]).map(departmentLabel);
    case "drivingLicence":
      return [t(value ? "versions.yes" : "versions.no")];
    case "skills":
    case "passions":
      return value as string[];
    default:
      return value ? [String(value)] : [];
  }
}

/**
 * One side of a change on the versions page, as a reader sees the CV: a photo as a thumbnail,
 * codes as their labels, lists as lists.
 */
export function CvSectionValue({ section, value, candidateId, t, locale }: { section: Section; value: Value; candidateId: string; t: Translate; locale: Locale }) {
  if (section === "photoId") {
    return value ? (
      <img className="version-photo" src={`/espace/cv/${candidateId}/photos/${String(value)}.jpg`} alt={t("versions.photoAlt")} width={120} height={120} />
    ) : (
      <p>{t("versions.noPhoto")}</p>
    );
  }
  const items = lines(section, value, t, locale);
  if (items.length === 0) return <p>—</p>;
  if (items.length === 1 && !Array.isArray(value)) return <p className="version-text">{items[0]}</p>;
  return (
    <ul className="version-list">
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  );
}
