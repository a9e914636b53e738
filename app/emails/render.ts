import type { Locale } from "~/db/schema";
import { translator, type MessageKey } from "~/i18n";

export type RenderedEmail = { subject: string; text: string; html: string };

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Plain text first (read by every client); the HTML version is the same words with clickable links. */
export function renderEmail(
  locale: Locale,
  subjectKey: MessageKey,
  bodyKey: MessageKey,
  vars: Record<string, string>,
): RenderedEmail {
  const t = translator(locale);
  const subject = t(subjectKey, vars);
  const text = `${t(bodyKey, vars)}\n\n--\n${t("email.footer")}\n`;
  const paragraphs = text
    .trim()
    .split(/\n{2,}/)
    .map((block) =>
      escapeHtml(block)
        .replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>')
        .replace(/\n/g, "<br>"),
    );
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">${paragraphs.map((p) => `<p>${p}</p>`).join("")}</body></html>`;
  return { subject, text, html };
}
