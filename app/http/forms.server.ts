import { data, type AppLoadContext } from "react-router";
import { hasControlCharacter, stripControlCharacters } from "~/domain/text";
import type { MessageKey } from "~/i18n";
import { AppError } from "./app-error";

export type FormErrors = { message: MessageKey; fields: Record<string, MessageKey> };
export type FormFailure = { ok: false; errors: FormErrors; values: Record<string, string> };

/** The largest body a form may post; a route that takes a file raises it (`readForm(…, { maxBytes })`). */
export const MAX_FORM_BYTES = 1_000_000;
/** The most fields a form may post (the CV editor, the longest, has a few hundred). */
export const MAX_FORM_FIELDS = 1_000;

/** The form that came with a refusal, cleaned: what was typed goes back to the page. */
const refusedForms = new WeakMap<AppError, FormData>();
export function postedFormOf(error: unknown): FormData | undefined {
  return error instanceof AppError ? refusedForms.get(error) : undefined;
}

/**
 * Reads a posted form and checks its CSRF token (double-submit: the hidden field must match
 * the HttpOnly cookie the server set). Cross-site posts are already refused by their Origin header in
 * server/http.ts. A body over `maxBytes` is refused before it is parsed — by its declared length,
 * and while it streams in when the length is not declared (or lies). A form of more than
 * `MAX_FORM_FIELDS` fields is refused, and so is a control character (NUL…) in any field name
 * or text: this is the one place every posted text comes through (see ~/domain/text). The
 * refusal carries the form without them (`postedFormOf`), so the page can show it again.
 */
export async function readForm(request: Request, context: AppLoadContext, options: { maxBytes?: number } = {}): Promise<FormData> {
  const maxBytes = options.maxBytes ?? MAX_FORM_BYTES;
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > maxBytes) throw new AppError("TOO_LARGE", "form.bodyTooLarge");
  const body = await readCapped(request, maxBytes);
  const contentType = request.headers.get("Content-Type") ?? "";
  // Measured on the bytes, before parsing. A raised limit is for a file: the texts of any form stay within MAX_FORM_BYTES.
  const shape = takeApart(body, contentType);
  if (shape.fields > MAX_FORM_FIELDS) throw new AppError("TOO_LARGE", "form.tooManyFields");
  if (shape.textBytes > MAX_FORM_BYTES) throw new AppError("TOO_LARGE", "form.bodyTooLarge");
  let form: FormData;
  try {
    form = await new Response(shape.text, { headers: { "Content-Type": contentType } }).formData();
    for (const file of shape.files) form.append(file.name, new File([file.bytes], file.filename, { type: file.type }));
  } catch {
    throw new AppError("INVALID", "form.csrf");
  }
  if (form.get("csrf") !== context.csrfToken) throw new AppError("FORBIDDEN", "form.csrf");
  const refused: Record<string, MessageKey> = {};
  for (const [name, value] of form) {
    if (hasControlCharacter(name) || (typeof value === "string" && hasControlCharacter(value))) refused[name.length <= 100 ? stripControlCharacters(name) : "form"] ??= "form.controlCharacter";
  }
  if (Object.keys(refused).length > 0) {
    const error = new AppError("INVALID", "form.errorSummary", refused);
    const cleaned = new FormData();
    for (const [name, value] of form) cleaned.append(stripControlCharacters(name), typeof value === "string" ? stripControlCharacters(value) : value);
    refusedForms.set(error, cleaned);
    throw error;
  }
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

type FilePart = { name: string; filename: string; type: string; bytes: Uint8Array<ArrayBuffer> };
type BodyShape = { fields: number; textBytes: number; text: Uint8Array<ArrayBuffer>; files: FilePart[] };

/**
 * A posted body taken apart on its raw bytes with the native byte search, before any parsing:
 * how many fields, how many bytes of text, and — for multipart — the text parts apart from the
 * files. Parsing is synchronous, so a flood of tiny fields, megabytes of text in a form that takes
 * a photo, or the photo itself scanned by the JavaScript parser would hold the process; here only
 * the text parts go to the parser, and files become Blobs without being scanned again. Linear:
 * every byte is searched once for the delimiter and at most once for its part's header end.
 */
function takeApart(body: Uint8Array<ArrayBuffer>, contentType: string): BodyShape {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]{1,70})"|([^";\s]{1,70}))/i.exec(contentType);
  if (!boundary) {
    let fields = bytes.length > 0 ? 1 : 0;
    for (let at = bytes.indexOf(38); at !== -1 && fields <= MAX_FORM_FIELDS; at = bytes.indexOf(38, at + 1)) fields++; // "&"
    return { fields, textBytes: bytes.length, text: body, files: [] };
  }
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  let fields = 0;
  let textBytes = 0;
  const textParts: Buffer[] = [];
  const files: FilePart[] = [];
  for (let at = bytes.indexOf(delimiter); at !== -1 && fields <= MAX_FORM_FIELDS; ) {
    const next = bytes.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break; // the closing delimiter
    fields++;
    const part = bytes.subarray(at, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    const headers = headerEnd === -1 ? "" : part.subarray(delimiter.length, headerEnd).toString("utf8");
    const filename = /;\s*filename="([^"]*)"/i.exec(headers);
    const name = /;\s*name="([^"]*)"/i.exec(headers);
    if (filename && name && part.subarray(part.length - 2).toString("latin1") === "\r\n") {
      const type = /^content-type:\s*([^\r\n]{0,200})/im.exec(headers)?.[1]?.trim() ?? "application/octet-stream";
      files.push({ name: name[1]!, filename: filename[1]!, type, bytes: part.subarray(headerEnd + 4, part.length - 2) });
    } else {
      textBytes += part.length;
      textParts.push(part);
    }
    at = next;
  }
  if (files.length === 0) return { fields, textBytes, text: body, files };
  return { fields, textBytes, text: new Uint8Array(Buffer.concat([...textParts, Buffer.from(`${delimiter}--\r\n`)])), files };
}

async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array(0);
  // With a declared length (checked against the limit already), chunks are copied once into place.
  const declared = Number(request.headers.get("Content-Length") ?? NaN);
  let bytes = new Uint8Array(Number.isSafeInteger(declared) && declared >= 0 ? declared : 0);
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > maxBytes) {
      await drain(reader);
      throw new AppError("TOO_LARGE", "form.bodyTooLarge");
    }
    if (total + value.byteLength > bytes.length) {
      const grown = new Uint8Array(Math.min(maxBytes, Math.max(2 * bytes.length, total + value.byteLength, 65_536)));
      grown.set(bytes.subarray(0, total));
      bytes = grown;
    }
    bytes.set(value, total);
    total += value.byteLength;
  }
  return total === bytes.length ? bytes : bytes.slice(0, total);
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
    values: form ? formValues(form) : formValues(postedFormOf(error) ?? new FormData()),
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
