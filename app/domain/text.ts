import { z } from "zod";

/**
 * Rules every posted text shares. Each check here is linear in the length of the text (no
 * pattern with nested or overlapping quantifiers), and schemas run them only once the text's
 * size limit has passed: a field can be as long as the whole body, so a check that grows
 * faster than its input would let one request freeze the process.
 */

/** UTF-8 can take up to four bytes per character: a text of `max` characters fits in 4 × max bytes. */
const BYTES_PER_CHARACTER = 4;

/** True when `value` takes at most `maxBytes` bytes in UTF-8 (stops counting as soon as it is over). */
export function fitsInBytes(value: string, maxBytes: number): boolean {
  // A UTF-16 unit is at least one byte in UTF-8; at most three.
  if (value.length > maxBytes) return false;
  if (value.length * 3 <= maxBytes) return true;
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : unit >= 0xd800 && unit <= 0xdbff ? 4 : unit >= 0xdc00 && unit <= 0xdfff ? 0 : 3;
    if (bytes > maxBytes) return false;
  }
  return true;
}

// C0 controls but TAB, LF and CR; DEL; C1 controls. One character class: linear.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A control character: never typed by a person, and NUL cannot even be stored by PostgreSQL.
 * TAB, LF and CR are the line breaks of a text area: they count only when `lineBreaks` is false.
 */
export function hasControlCharacter(value: string, { lineBreaks = true } = {}): boolean {
  return (lineBreaks ? CONTROL : CONTROL_OR_BREAK).test(value);
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** The text without its control characters (TAB, LF and CR stay). */
export function stripControlCharacters(value: string): string {
  return value.replace(CONTROLS, "");
}

/** An HTML tag: a `<` with a `>` somewhere after it (what `/<[^>]*>/` finds, in one pass). */
export function hasMarkup(value: string): boolean {
  const open = value.indexOf("<");
  return open !== -1 && value.indexOf(">", open + 1) !== -1;
}

/** A web address: `scheme://` or `www.` anywhere (two literal searches). */
export function hasWebAddress(value: string): boolean {
  return value.includes("://") || value.toLowerCase().includes("www.");
}

/**
 * A posted text of at most `max` characters after trimming. The size is checked first — in
 * bytes on what was posted, then in characters once trimmed — and stops the schema when it
 * fails, so the checks chained after it (markup, links…) only ever see short texts. With
 * `oneLine` (its message), a line break, a tab or any control character is refused, even at
 * the ends where trimming would have hidden it: names go into e-mail headers and lists.
 */
export function limitedText(max: number, tooLong: string, options: { oneLine?: string } = {}) {
  const sized = z.string({ error: "form.invalidChoice" }).refine((value) => fitsInBytes(value, max * BYTES_PER_CHARACTER), { message: tooLong, abort: true });
  const { oneLine } = options;
  const lined = oneLine ? sized.refine((value) => !hasControlCharacter(value, { lineBreaks: false }), { message: oneLine, abort: true }) : sized;
  return lined.trim().max(max, { message: tooLong, abort: true });
}

/** The raw size check alone, for schemas that clean a text before measuring it. */
export function postedBytesWithin(max: number) {
  return (value: string) => fitsInBytes(value, max * BYTES_PER_CHARACTER);
}
