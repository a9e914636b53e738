import type { CvContent } from "~/domain/cv/content";
import type { ConflictChoice, CvConflictView, CvField, CvMerge } from "~/domain/cv/merge";
import { departments } from "~/domain/reference/departments";
import type { MessageKey } from "~/i18n";
import { cvSectionLabels } from "./cv-section-value";
import { useT } from "./i18n";

/** The same names as the version comparison: one list of what each field is called. */
export const fieldLabels: Record<CvField, MessageKey> = cvSectionLabels;

/** One field's value as a reader sees it: labels, not codes. */
function FieldValue({ field, content }: { field: CvField; content: CvContent }) {
  const t = useT();
  const empty = <p className="muted">{t("editor.conflict.empty")}</p>;
  const list = (items: string[]) =>
    items.length === 0 ? (
      empty
    ) : (
      <ul>
        {items.map((item, i) => (
          <li key={i}>{item}</li>
        ))}
      </ul>
    );
  const join = (parts: string[]) => parts.filter((p) => p.trim() !== "").join(" — ");
  switch (field) {
    case "photoId":
      return <p>{t(content.photoId ? "editor.conflict.photo" : "editor.conflict.noPhoto")}</p>;
    case "drivingLicence":
      return <p>{t(content.drivingLicence ? "editor.conflict.yes" : "editor.conflict.no")}</p>;
    case "goals":
      return list(content.goals.map((g) => join([g.businessLine ? t(`businessLine.${g.businessLine}` as MessageKey) : "", g.job])));
    case "experiences":
      return list(content.experiences.map((e) => join([e.title, e.organisation, e.place, [e.start, e.end].filter(Boolean).join(" – "), e.description])));
    case "languages":
      return list(content.languages.map((l) => join([l.name, l.level])));
    case "testimonials":
      return list(content.testimonials.map((m) => join([m.name, m.relation, m.text])));
    case "contracts":
      return list(content.contracts.map((c) => t(`contract.${c}` as MessageKey)));
    case "departments":
      return list(content.departments.map((code) => `${departments.find((d) => d.code === code)?.name ?? code} (${code})`));
    case "skills":
    case "passions":
      return list(content[field]);
    default:
      return content[field] ? <p className="conflict-text">{content[field]}</p> : empty;
  }
}

type Props = {
  view: CvConflictView;
  merge: CvMerge;
  choices: Partial<Record<CvField, ConflictChoice>>;
  errors: Record<string, string>;
  /** With JavaScript: a choice was made (the editor applies them once all are made). */
  onChoose?: () => void;
  /** A photo was posted with the refused save: it must be chosen again. */
  photoDropped?: boolean;
};

/**
 * Shown inside the editor's form after a refused save (decision 017): what was taken from the
 * other person's version, what of yours was kept, and, for each field both changed, the two
 * versions side by side with a choice. Without JavaScript the choices are posted with the form.
 */
export function CvConflictPanel({ view, merge, choices, errors, onChoose, photoDropped }: Props) {
  const t = useT();
  const name = view.otherName ?? t("editor.conflict.someone");
  const labels = (fields: CvField[]) => fields.map((f) => t(fieldLabels[f])).join(", ");
  return (
    <section className="card conflict" aria-labelledby="conflict-title">
      <h2 id="conflict-title" tabIndex={-1}>
        {view.otherName ? t("editor.conflict.title", { name }) : t("editor.conflict.titleSomeone")}
      </h2>
      <p>{t("editor.conflict.intro")}</p>
      {merge.taken.length > 0 && <p>{t("editor.conflict.taken", { name, fields: labels(merge.taken) })}</p>}
      {merge.kept.length > 0 && <p>{t("editor.conflict.kept", { fields: labels(merge.kept) })}</p>}
      {photoDropped && <p>{t("editor.conflict.photoAgain")}</p>}
      {merge.both.length > 0 && (
        <>
          <p>{t("editor.conflict.choose", { name })}</p>
          {/* -1 when the first base is unknown: every field that differs stays a choice. */}
          <input type="hidden" name="conflictBase" value={view.baseRevision ?? -1} />
          {merge.both.map((field) => {
            const error = errors[`choice.${field}`] as MessageKey | undefined;
            return (
              <fieldset key={field} className={`conflict-field${error ? " field-invalid" : ""}`} aria-describedby={error ? `choice-${field}-error` : undefined}>
                <legend>{t("editor.conflict.both", { field: t(fieldLabels[field]) })}</legend>
                <input type="hidden" name="conflicts" value={field} />
                {error && (
                  <p className="field-error" id={`choice-${field}-error`}>
                    {t(error)}
                  </p>
                )}
                <div className="conflict-sides">
                  <div>
                    <h3>{t("editor.conflict.mine")}</h3>
                    <FieldValue field={field} content={view.mine} />
                  </div>
                  <div>
                    <h3>{t("editor.conflict.theirs", { name })}</h3>
                    <FieldValue field={field} content={view.theirs} />
                  </div>
                </div>
                <label className="checkbox">
                  <input type="radio" id={`field-choice.${field}`} name={`choice.${field}`} value="mine" defaultChecked={choices[field] === "mine"} onChange={onChoose} />{" "}
                  {t("editor.conflict.keepMine")}
                </label>
                <label className="checkbox">
                  <input type="radio" name={`choice.${field}`} value="theirs" defaultChecked={choices[field] === "theirs"} onChange={onChoose} /> {t("editor.conflict.takeTheirs", { name })}
                </label>
              </fieldset>
            );
          })}
        </>
      )}
    </section>
  );
}
