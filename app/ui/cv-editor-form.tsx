import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useLocation } from "react-router";
import type { CvContent } from "~/domain/cv/content";
import { readCvForm } from "~/domain/cv/editor-form";
import { applyChoices, mergeCv, type ConflictChoice, type CvConflictView, type CvField } from "~/domain/cv/merge";
import type { Department, RegionCode } from "~/domain/reference/departments";
import type { MessageKey } from "~/i18n";
import { useAutosave } from "./autosave";
import { CvConflictPanel } from "./cv-conflict";
import { CsrfForm } from "./forms";
import { useT } from "./i18n";

type Props = {
  content: CvContent;
  revision: number;
  errors: Record<string, string>;
  lists: { businessLines: readonly string[]; contractTypes: readonly string[]; departments: Department[]; regions: Record<RegionCode, string> };
  limits: Record<string, number>;
  /** A save refused because someone else saved meanwhile (decision 017), as the server sent it back. */
  conflict?: { view: CvConflictView; choices: Partial<Record<CvField, ConflictChoice>>; photoDropped?: boolean };
};

/**
 * With JavaScript, what the editor shows after an autosave conflict or a choice: it holds until the
 * next navigation (a full save, a list change), which brings the server's answer instead.
 */
type Local = {
  at: string;
  generation: number;
  content: CvContent;
  revision: number;
  conflict?: { view: CvConflictView; choices: Partial<Record<CvField, ConflictChoice>> };
  settled?: boolean;
  /** Retry the autosave once the form shows the merged content. */
  retry?: boolean;
  /** The element to focus once the form is drawn again (by id), and where its caret was. */
  focus?: { id: string; start?: number | null; end?: number | null };
};


const ErrorsContext = createContext<Record<string, string>>({});
function useErr() {
  const errors = useContext(ErrorsContext);
  return (path: string) => errors[path] as MessageKey | undefined;
}

function Field({ name, label, value, max, multiline, hint }: { name: string; label: string; value: string; max: number; multiline?: boolean; hint?: string }) {
  const t = useT();
  const err = useErr();
    const error = err(name);
    const id = `field-${name}`;
    return (
      <div className={`field${error ? " field-invalid" : ""}`}>
        <label htmlFor={id}>{label}</label>
        {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
        {error && <p className="field-error" id={`${id}-error`}>{t(error)}</p>}
        {multiline ? (
          <textarea id={id} name={name} defaultValue={value} maxLength={max} rows={6} aria-invalid={error ? true : undefined} aria-describedby={[hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined} />
        ) : (
          <input id={id} name={name} defaultValue={value} maxLength={max} aria-invalid={error ? true : undefined} aria-describedby={[hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined} />
        )}
      </div>
    );
}

function ItemControls({ section, index, count }: { section: string; index: number; count: number }) {
  const t = useT();
  return (
    <div className="button-row">
      {index > 0 && (
        <button type="submit" name="intent" value={`up:${section}.${index}`} className="button-small">
          {t("editor.up")}
        </button>
      )}
      {index < count - 1 && (
        <button type="submit" name="intent" value={`down:${section}.${index}`} className="button-small">
          {t("editor.down")}
        </button>
      )}
      <button type="submit" name="intent" value={`remove:${section}.${index}`} className="button-small">
        {t("editor.remove")}
      </button>
    </div>
  );
}

function Section({ id, title, section, count, max, children }: { id: string; title: MessageKey; section: string; count: number; max: number; children: ReactNode }) {
  const t = useT();
  const err = useErr();
  return (
    <fieldset className="card editor-section" id={id}>
      {/* A heading in the legend: the items' h3 ("Projet 1") sit under it, not under the page's h1. */}
      <legend>
        <h2 className="legend-heading">{t(title)}</h2>
      </legend>
      {err(section) && <p className="field-error">{t(err(section)!)}</p>}
      <input type="hidden" name={`${section}.count`} value={count} />
      {children}
      {count < max && (
        <button type="submit" name="intent" value={`add:${section}`} className="button button-secondary">
          {t("editor.add")}
        </button>
      )}
    </fieldset>
  );
}

function MonthField({ name, label, value, error }: { name: string; label: string; value: string; error?: MessageKey }) {
    const t = useT();
    const id = `field-${name}`;
    return (
      <div className={`field${error ? " field-invalid" : ""}`}>
        <label htmlFor={id}>{label}</label>
        {error && <p className="field-error">{t(error)}</p>}
        <input id={id} type="month" name={name} defaultValue={value} placeholder="2021-06" />
      </div>
    );
  }

/** The whole CV as one plain form: it works without JavaScript, on a 360-px phone. */
export function CvEditorForm({ content: given, revision: givenRevision, errors, lists, limits, conflict: givenConflict }: Props) {
  const t = useT();
  const location = useLocation();
  const [stored, setLocal] = useState<Local | null>(null);
  const local = stored?.at === location.key ? stored : null;
  const conflict = local ? local.conflict : givenConflict;
  const merge = conflict ? mergeCv(conflict.view.base, conflict.view.theirs, conflict.view.mine) : null;
  const content = merge ? merge.merged : (local?.content ?? given);
  const revision = conflict ? conflict.view.revision : (local?.revision ?? givenRevision);
  const choosing = !!merge && merge.both.length > 0;
  const {
    formRef,
    onInput,
    onSubmit,
    revision: currentRevision,
    status: autosaveStatus,
    failed: autosaveFailed,
    conflict: autosaveConflict,
    sendNow,
  } = useAutosave(revision, choosing);
  const err = (path: string) => errors[path] as MessageKey | undefined;

  /** What the form holds now, as CV content (the photo as the version started from had it). */
  const typed = useCallback(
    (view: CvConflictView) => readCvForm(new FormData(formRef.current!), view.base ? view.base.photoId : view.theirs.photoId),
    [formRef],
  );

  // An autosave refused because someone else saved: merge their version with what the form holds
  // now, draw the form again from it, and retry at once when no field needs a choice.
  const handled = useRef<CvConflictView | null>(null);
  useEffect(() => {
    if (!autosaveConflict || handled.current === autosaveConflict || !formRef.current) return;
    handled.current = autosaveConflict;
    const view = { ...autosaveConflict, mine: typed(autosaveConflict) };
    const both = mergeCv(view.base, view.theirs, view.mine).both.length > 0;
    const active = document.activeElement;
    const caret = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? { start: active.selectionStart, end: active.selectionEnd } : {};
    setLocal((previous) => ({
      at: location.key,
      generation: (previous?.generation ?? 0) + 1,
      content: view.mine,
      revision: view.revision,
      conflict: { view, choices: {} },
      retry: !both,
      focus: both ? { id: "conflict-title" } : active?.id ? { id: active.id, ...caret } : undefined,
    }));
  }, [autosaveConflict, formRef, location.key, typed]);

  // With JavaScript a choice applies as soon as every field has one: the form shows the chosen
  // versions and saves itself on the revision saved meanwhile.
  const onChoose = useCallback(() => {
    if (!conflict || !merge || !formRef.current) return;
    const form = new FormData(formRef.current);
    const choices: Partial<Record<CvField, ConflictChoice>> = {};
    for (const field of merge.both) {
      const choice = form.get(`choice.${field}`);
      if (choice !== "mine" && choice !== "theirs") return;
      choices[field] = choice;
    }
    const { view } = conflict;
    const now = mergeCv(view.base, view.theirs, typed(view));
    setLocal((previous) => ({
      at: location.key,
      generation: (previous?.generation ?? 0) + 1,
      content: applyChoices(now, view.theirs, choices),
      revision: view.revision,
      settled: true,
      retry: true,
      focus: { id: "conflict-settled" },
    }));
  }, [conflict, merge, formRef, location.key, typed]);

  useEffect(() => {
    if (!local) return;
    const focused = local.focus && document.getElementById(local.focus.id);
    if (focused) {
      focused.focus();
      if ((focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement) && local.focus!.start != null) {
        try {
          focused.setSelectionRange(local.focus!.start, local.focus!.end ?? local.focus!.start);
        } catch {
          // Some inputs (month, checkbox) have no caret.
        }
      }
    }
    if (local.retry) sendNow();
    // Once per drawing of the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [local?.generation]);

  const formKey = `${givenConflict ? `c${givenConflict.view.revision}` : "f"}-${local?.generation ?? 0}`;
  const status = choosing ? "editor.conflict.waiting" : autosaveStatus;

  return (
    <ErrorsContext.Provider value={errors}>
    <CsrfForm key={formKey} encType="multipart/form-data" className="cv-editor" noValidate ref={formRef} onInput={onInput} onSubmit={onSubmit}>
      <input type="hidden" name="revision" value={currentRevision} />
      {conflict && merge && <CvConflictPanel view={conflict.view} merge={merge} choices={conflict.choices} errors={errors} onChoose={onChoose} photoDropped={givenConflict === conflict && !!givenConflict.photoDropped} />}
      {local?.settled && (
        <div className="alert alert-success" role="status" id="conflict-settled" tabIndex={-1}>
          <p>{t("editor.conflict.settled")}</p>
        </div>
      )}
      <fieldset className="card editor-section">
        <legend>{t("editor.photo")}</legend>
        {/* "Keep mine" chose no photo: say so, or the server would keep the photo saved meanwhile. */}
        {local?.settled && !content.photoId && <input type="hidden" name="removePhoto" value="on" />}
        {(content.photoId || conflict?.view.theirs.photoId) && (
          <div className="field">
            <label className="checkbox">
              {/* After a conflict, a removal kept from your side stays ticked. */}
              <input type="checkbox" name="removePhoto" defaultChecked={!!conflict && !content.photoId} /> {t("editor.removePhoto")}
            </label>
          </div>
        )}
        <div className={`field${err("photo") ? " field-invalid" : ""}`}>
          <label htmlFor="field-photo">{t("editor.photo")}</label>
          <p className="hint">{t("editor.photoHint")}</p>
          {err("photo") && <p className="field-error">{t(err("photo")!)}</p>}
          <input id="field-photo" type="file" name="photo" accept="image/jpeg,image/png,image/webp" />
        </div>
        <div className="field">
          <label htmlFor="field-focus">{t("editor.focus")}</label>
          <select id="field-focus" name="focus" defaultValue="center">
            <option value="center">{t("editor.focus.center")}</option>
            <option value="top">{t("editor.focus.top")}</option>
            <option value="bottom">{t("editor.focus.bottom")}</option>
          </select>
        </div>
      </fieldset>

      <Field name="catchphrase" label={t("editor.catchphrase")} hint={t("editor.catchphraseHint")} value={content.catchphrase} max={limits.catchphrase!} />
      <Field name="story" label={t("editor.story")} hint={t("editor.storyHint")} value={content.story} max={limits.story!} multiline />

      <Section id="goals" title="editor.goals" section="goals" count={content.goals.length} max={limits.goals!}>
        {content.goals.map((goal, i) => (
          <div key={i} className="editor-item">
            <h3>{t("editor.goal", { n: i + 1 })}</h3>
            <div className="field">
              <label htmlFor={`field-goals.${i}.businessLine`}>{t("editor.businessLine")}</label>
              {err(`goals.${i}.businessLine`) && <p className="field-error">{t(err(`goals.${i}.businessLine`)!)}</p>}
              <select id={`field-goals.${i}.businessLine`} name={`goals.${i}.businessLine`} defaultValue={goal.businessLine}>
                <option value="">{t("editor.pickBusinessLine")}</option>
                {lists.businessLines.map((line) => (
                  <option key={line} value={line}>
                    {t(`businessLine.${line}` as MessageKey)}
                  </option>
                ))}
              </select>
            </div>
            <Field name={`goals.${i}.job`} label={t("editor.job")} value={goal.job} max={limits.job!} />
            <ItemControls section="goals" index={i} count={content.goals.length} />
          </div>
        ))}
      </Section>

      <Section id="skills" title="editor.skills" section="skills" count={content.skills.length} max={limits.skills!}>
        {content.skills.map((skill, i) => (
          <div key={i} className="editor-item">
            <Field name={`skills.${i}`} label={t("editor.skill", { n: i + 1 })} value={skill} max={limits.skill!} />
            <ItemControls section="skills" index={i} count={content.skills.length} />
          </div>
        ))}
      </Section>

      <Section id="experiences" title="editor.experiences" section="experiences" count={content.experiences.length} max={limits.experiences!}>
        {content.experiences.map((exp, i) => (
          <div key={i} className="editor-item">
            <h3>{t("editor.experience", { n: i + 1 })}</h3>
            <div className="field">
              <label htmlFor={`field-experiences.${i}.kind`}>{t("editor.kind")}</label>
              <select id={`field-experiences.${i}.kind`} name={`experiences.${i}.kind`} defaultValue={exp.kind}>
                <option value="experience">{t("editor.kind.experience")}</option>
                <option value="training">{t("editor.kind.training")}</option>
              </select>
            </div>
            <Field name={`experiences.${i}.title`} label={t("editor.expTitle")} value={exp.title} max={limits.experienceTitle!} />
            <Field name={`experiences.${i}.organisation`} label={t("editor.organisation")} value={exp.organisation} max={limits.experienceTitle!} />
            <Field name={`experiences.${i}.place`} label={t("editor.place")} value={exp.place} max={limits.job!} />
            <div className="field-pair">
              <MonthField name={`experiences.${i}.start`} label={t("editor.start")} value={exp.start} error={err(`experiences.${i}.start`)} />
              <MonthField name={`experiences.${i}.end`} label={t("editor.end")} value={exp.end} error={err(`experiences.${i}.end`)} />
            </div>
            <Field name={`experiences.${i}.description`} label={t("editor.description")} value={exp.description} max={limits.experienceText!} multiline />
            <ItemControls section="experiences" index={i} count={content.experiences.length} />
          </div>
        ))}
      </Section>

      <Section id="languages" title="editor.languages" section="languages" count={content.languages.length} max={limits.languages!}>
        {content.languages.map((language, i) => (
          <div key={i} className="editor-item">
            <Field name={`languages.${i}.name`} label={t("editor.languageName")} value={language.name} max={40} />
            <Field name={`languages.${i}.level`} label={t("editor.languageLevel")} value={language.level} max={40} />
            <ItemControls section="languages" index={i} count={content.languages.length} />
          </div>
        ))}
      </Section>

      <fieldset className="card editor-section">
        <legend>{t("editor.contracts")}</legend>
        {lists.contractTypes.map((contract) => (
          <label key={contract} className="checkbox">
            <input type="checkbox" name="contracts" value={contract} defaultChecked={content.contracts.includes(contract as never)} /> {t(`contract.${contract}` as MessageKey)}
          </label>
        ))}
      </fieldset>

      <div className={`field${err("departments") ? " field-invalid" : ""}`}>
        <label htmlFor="field-departments">{t("editor.departments")}</label>
        <p className="hint">{t("editor.departmentsHint")}</p>
        {err("departments") && <p className="field-error">{t(err("departments")!)}</p>}
        <select id="field-departments" name="departments" multiple size={8} defaultValue={content.departments}>
          {(Object.entries(lists.regions) as [RegionCode, string][]).map(([code, region]) => (
            <optgroup key={code} label={region}>
              {lists.departments
                .filter((d) => d.region === code)
                .map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.name} ({d.code})
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </div>

      <Field name="availability" label={t("editor.availability")} value={content.availability} max={limits.shortText!} />
      <Field name="transport" label={t("editor.transport")} value={content.transport} max={limits.shortText!} />
      <label className="checkbox">
        <input type="checkbox" name="drivingLicence" defaultChecked={content.drivingLicence} /> {t("editor.drivingLicence")}
      </label>

      <Section id="passions" title="editor.passions" section="passions" count={content.passions.length} max={limits.passions!}>
        {content.passions.map((passion, i) => (
          <div key={i} className="editor-item">
            <Field name={`passions.${i}`} label={t("editor.passion", { n: i + 1 })} value={passion} max={limits.passion!} />
            <ItemControls section="passions" index={i} count={content.passions.length} />
          </div>
        ))}
      </Section>

      <Section id="testimonials" title="editor.testimonials" section="testimonials" count={content.testimonials.length} max={limits.testimonials!}>
        {content.testimonials.map((item, i) => (
          <div key={i} className="editor-item">
            <h3>{t("editor.testimonial", { n: i + 1 })}</h3>
            <Field name={`testimonials.${i}.name`} label={t("editor.testimonialName")} value={item.name} max={80} />
            <Field name={`testimonials.${i}.relation`} label={t("editor.testimonialRelation")} value={item.relation} max={80} />
            <Field name={`testimonials.${i}.text`} label={t("editor.testimonialText")} value={item.text} max={limits.testimonialText!} multiline />
            <ItemControls section="testimonials" index={i} count={content.testimonials.length} />
          </div>
        ))}
      </Section>

      <div className="sticky-actions">
        <p className={autosaveFailed || choosing ? "field-error" : "muted"} role="status" aria-live="polite">
          {status ? t(status) : ""}
        </p>
        <button type="submit" name="intent" value="save" className="button">
          {t("editor.save")}
        </button>
      </div>
    </CsrfForm>
    </ErrorsContext.Provider>
  );
}
