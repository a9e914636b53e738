import { data, type AppLoadContext } from "react-router";
import type { MessageKey } from "~/i18n";
import { AppError } from "./app-error";

export type FormErrors = { message: MessageKey; fields: Record<string, MessageKey> };
export type FormFailure = { ok: false; errors: FormErrors; values: Record<string, string> };

/** The largest body a form may post; a route that takes a file raises it (`readForm(…, { maxBytes })`). */
export const MAX_FORM_BYTES = 1_000_000;

/**
 * Reads a posted form and checks its CSRF token (double-submit: the hidden field must match
 * the HttpOnly cookie the server set). Cross-site posts are already refused by their Origin header in
 * server/http.ts. A body over `maxBytes` is refused before it is parsed — by its declared length,
 * and while it streams in when the length is not declared (or lies).
 */
export async function readForm(request: Request, context: AppLoadContext, options: { maxBytes?: number } = {}): Promise<FormData> {
  const maxBytes = options.maxBytes ?? MAX_FORM_BYTES;
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > maxBytes) throw new AppError("TOO_LARGE", "form.bodyTooLarge");
  const body = await readCapped(request, maxBytes);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "Content-Type": request.headers.get("Content-Type") ?? "" } }).formData();
  } catch {
    throw new AppError("INVALID", "form.csrf");
  }
  if (form.get("csrf") !== context.csrfToken) throw new AppError("FORBIDDEN", "form.csrf");
  return form;
}

/** What is still read (and dropped) of a body past its limit, so that its sender gets the answer. */
const DRAIN_BYTES = 16 * 1024 * 1024;
const DRAIN_MS = 5_000;

/**
 * A body past its limit is read on and dropped for a while (what web servers call a lingering
 * close): cutting the connection while the browser still sends makes it show a network error
 * instead of our French message. Past a few more megabytes or seconds, the connection is cut.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const deadline = Date.now() + DRAIN_MS;
  let dropped = 0;
  try {
    while (dropped < DRAIN_BYTES && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), deadline - Date.now())));
      const chunk = await Promise.race([reader.read(), late]).finally(() => clearTimeout(timer));
      if (chunk === "late") break;
      if (chunk.done) return;
      dropped += chunk.value.byteLength;
    }
  } catch {
    return; // the sender gave up: nothing to answer
  }
  await reader.cancel().catch(() => undefined);
}

async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await drain(reader);
      throw new AppError("TOO_LARGE", "form.bodyTooLarge");
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
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
