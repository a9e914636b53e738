import { useId, type ReactNode, type Ref } from "react";
import { Form, type FormProps } from "react-router";
import type { FormErrors } from "~/http/forms.server";
import type { MessageKey } from "~/i18n";
import { useRootData, useT } from "./i18n";

/** A form that always carries the CSRF token and works without JavaScript. */
export function CsrfForm({ children, method = "post", ref, ...props }: FormProps & { ref?: Ref<HTMLFormElement> }) {
  const { csrfToken } = useRootData();
  return (
    <Form method={method} ref={ref} {...props}>
      <input type="hidden" name="csrf" value={csrfToken} />
      {children}
    </Form>
  );
}

/** What names each field of a form in its error summary: the label's key, or a function for fields made on the fly. */
export type FieldLabels = Record<string, MessageKey> | ((field: string) => string | null);

/**
 * The summary above a refused form: one link per field to its control, each saying which field
 * it is about ("E-mail : adresse invalide") — a long form has many "Ce champ est obligatoire".
 * Asides in parentheses ("(facultatif)", "(2 au plus)") are dropped from the names. Every form
 * says how its fields are named (`labels` is required): a new form cannot forget it.
 */
export function ErrorSummary({ errors, labels }: { errors: FormErrors | undefined; labels: FieldLabels }) {
  const t = useT();
  if (!errors) return null;
  const fieldMessages = Object.entries(errors.fields);
  const nameOf = (field: string) => {
    const name = typeof labels === "function" ? labels(field) : labels[field] ? t(labels[field]) : null;
    return name?.replace(/\s*\([^()]*\)$/, "") ?? null;
  };
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1}>
      <p>{t(errors.message)}</p>
      {fieldMessages.length > 0 && (
        <ul>
          {fieldMessages.map(([field, message]) => {
            const name = nameOf(field);
            return (
              <li key={field}>
                <a href={`#field-${field}`}>{name ? t("form.errorIn", { field: name, message: t(message) }) : t(message)}</a>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

type FieldProps = {
  name: string;
  label: MessageKey;
  hint?: MessageKey;
  error?: MessageKey;
  type?: string;
  defaultValue?: string;
  required?: boolean;
  autoComplete?: string;
  maxLength?: number;
};

/** Label, hint and error around one control; the control gets the ids it must point to. */
function Field({ name, label, hint, error, control }: Pick<FieldProps, "name" | "label" | "hint" | "error"> & { control: (aria: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode }) {
  const t = useT();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={`field-${name}`}>{t(label)}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {t(hint)}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {t(error)}
        </p>
      )}
      {control({ id: `field-${name}`, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
    </div>
  );
}

export function TextField({ name, label, hint, error, type = "text", defaultValue, required, autoComplete, maxLength }: FieldProps) {
  return (
    <Field
      name={name}
      label={label}
      hint={hint}
      error={error}
      control={(aria) => <input {...aria} name={name} type={type} defaultValue={defaultValue} required={required} autoComplete={autoComplete} maxLength={maxLength} />}
    />
  );
}

/** A multi-line text field: same label, hint and error as TextField. */
export function TextAreaField({ name, label, hint, error, defaultValue, required, maxLength, rows = 6 }: Omit<FieldProps, "type" | "autoComplete"> & { rows?: number }) {
  return (
    <Field
      name={name}
      label={label}
      hint={hint}
      error={error}
      control={(aria) => <textarea {...aria} name={name} defaultValue={defaultValue} required={required} maxLength={maxLength} rows={rows} />}
    />
  );
}

export function SelectField({
  name,
  label,
  error,
  defaultValue,
  children,
  required,
}: {
  name: string;
  label: MessageKey;
  error?: MessageKey;
  defaultValue?: string;
  children: ReactNode;
  required?: boolean;
}) {
  const t = useT();
  const errorId = useId();
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={`field-${name}`}>{t(label)}</label>
      {error && (
        <p className="field-error" id={errorId}>
          {t(error)}
        </p>
      )}
      <select
        id={`field-${name}`}
        name={name}
        defaultValue={defaultValue}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      >
        {children}
      </select>
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  );
}
