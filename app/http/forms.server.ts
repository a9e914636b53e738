import { data, type AppLoadContext } from "react-router";
import type { MessageKey } from "~/i18n";
import { AppError } from "./app-error";

export type FormErrors = { message: MessageKey; fields: Record<string, MessageKey> };
export type FormFailure = { ok: false; errors: FormErrors; values: Record<string, string> };

const MAX_FORM_BYTES = 1_000_000;

/**
 * Reads a posted form and checks its CSRF token (double-submit: the hidden field must match
 * the HttpOnly cookie the server set). Cross-site posts are already refused by their Origin header in
 * server/http.ts.
 */
export async function readForm(request: Request, context: AppLoadContext): Promise<FormData> {
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > MAX_FORM_BYTES) throw new AppError("INVALID", "form.tooLong");
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError("INVALID", "form.csrf");
  }
  if (form.get("csrf") !== context.csrfToken) throw new AppError("FORBIDDEN", "form.csrf");
  return form;
}

/** The text fields of a form, to fill it again after an error. Files and the token are left out. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string" && key !== "csrf" && !/password/i.test(key)) values[key] = value.slice(0, 5000);
  return values;
}

/** Turns an AppError into the answer a form shows; anything else is a bug and goes on up. */
export function formFailure(error: unknown, form?: FormData) {
  if (!(error instanceof AppError)) throw error;
  if (error.code === "NOT_FOUND") throw data(null, { status: 404 });
  const body: FormFailure = {
    ok: false,
    errors: { message: error.message as MessageKey, fields: error.fieldErrors as Record<string, MessageKey> },
    values: form ? formValues(form) : {},
  };
  return data(body, { status: error.status === 403 ? 403 : error.status });
}

/** Runs a loader's domain call; a NOT_FOUND becomes a 404 page (not a 500). */
export async function orNotFound<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) throw data(null, { status: 404 });
    throw error;
  }
}
