import { createContext, useContext, type ReactNode } from "react";
import type { CvContent } from "~/domain/cv/content";
import type { Department, RegionCode } from "~/domain/reference/departments";
import type { MessageKey } from "~/i18n";
import { useAutosave } from "./autosave";
import { CsrfForm } from "./forms";
import { useT } from "./i18n";

type Props = {
  content: CvContent;
  revision: number;
  errors: Record<string, string>;
  lists: { businessLines: readonly string[]; contractTypes: readonly string[]; departments: Department[]; regions: Record<RegionCode, string> };
  limits: Record<string, number>;
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
export function CvEditorForm({ content, revision, errors, lists, limits }: Props) {
  const t = useT();
  const { formRef, onInput, onSubmit, revision: currentRevision, status: autosaveStatus, failed: autosaveFailed } = useAutosave(revision);
  const err = (path: string) => errors[path] as MessageKey | undefined;

  return (
    <ErrorsContext.Provider value={errors}>
    <CsrfForm encType="multipart/form-data" className="cv-editor" noValidate ref={formRef} onInput={onInput} onSubmit={onSubmit}>
      <input type="hidden" name="revision" value={currentRevision} />
      <fieldset className="card editor-section">
        <legend>{t("editor.photo")}</legend>
        {content.photoId && (
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" name="removePhoto" /> {t("editor.removePhoto")}
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
        <p className={autosaveFailed ? "field-error" : "muted"} role="status" aria-live="polite">
          {autosaveStatus ? t(autosaveStatus) : ""}
        </p>
        <button type="submit" name="intent" value="save" className="button">
          {t("editor.save")}
        </button>
      </div>
    </CsrfForm>
    </ErrorsContext.Provider>
  );
}
