/**
 * Answers that carry a file (PDF, image): a safe Content-Disposition for any name, and the
 * ETag check of a cached rendition.
 */

/** `inline; filename="cv-oceane.pdf"; filename*=UTF-8''cv-Oc%C3%A9ane.pdf` — headers are ASCII only. */
export function contentDisposition(type: "inline" | "attachment", filename: string): string {
  const ascii = filename
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\w.-]+/g, "-");
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** True when the browser already holds this version (If-None-Match lists its ETag, or `*`). */
export function isFresh(request: Request, etag: string): boolean {
  const header = request.headers.get("If-None-Match");
  if (!header) return false;
  return header.split(",").some((tag) => {
    const value = tag.trim().replace(/^W\//, "");
    return value === "*" || value === etag;
  });
}
