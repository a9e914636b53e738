import { hasControlCharacter } from "~/domain/text";

/**
 * The request's path and query string can be read: the path's percent-escapes decode to UTF-8,
 * and neither the path nor any query parameter holds a control character (NUL, TAB, LF… —
 * PostgreSQL cannot store NUL, and no address of this site contains any). Checked once per
 * request before any route runs (server/http.ts), so loaders and path parameters never see them.
 * Linear: one character class on the address, and decoding only when it has a `%`.
 */
export function isReadableTarget(url: string): boolean {
  if (hasControlCharacter(url, { lineBreaks: false })) return false;
  if (!url.includes("%")) return true;
  const mark = url.indexOf("?");
  const path = mark === -1 ? url : url.slice(0, mark);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return false; // a broken escape or bytes that are not UTF-8 (%FF, %C0%AF, %ED%A0%80…)
  }
  if (hasControlCharacter(decoded, { lineBreaks: false })) return false;
  if (mark === -1) return true;
  // The query is read as URLSearchParams reads it (a broken escape stays as typed, bytes that are not UTF-8 become U+FFFD).
  for (const [name, value] of new URLSearchParams(url.slice(mark + 1))) {
    if (hasControlCharacter(name, { lineBreaks: false }) || hasControlCharacter(value, { lineBreaks: false })) return false;
  }
  return true;
}
