import type { Locale } from "~/db/schema";
import { translator } from "~/i18n";

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The thank-you step of a share made without JavaScript: the share link opens this small page in
 * a new tab, which thanks, leads on to the network with one big link, and offers another CV, one
 * of the least shared. A plain template (no React render): it is served at ingestion speed.
 * No timed redirect: WCAG 2.2.1 forbids a page that moves on by itself after a delay.
 */
export function thankYouPage(input: {
  locale: Locale;
  firstName: string;
  slug: string;
  network: string;
  target: string;
  another: { slug: string; firstName: string } | null;
}): string {
  const t = translator(input.locale);
  const e = escapeHtml;
  const another = input.another
    ? `<p>${e(t("shareThanks.anotherIntro"))}</p>
    <p><a class="secondary" href="/cv/${e(input.another.slug)}">${e(t("share.another", { firstName: input.another.firstName }))}</a></p>`
    : "";
  return `<!DOCTYPE html>
<html lang="${input.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(t("shareThanks.title"))}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#fff;color:#1a1a1a;line-height:1.5}
main{max-width:34rem;margin:0 auto;padding:2rem 1.25rem}
h1{font-size:2rem;margin:0 0 1rem}
a{color:#0b4f8a}
a:focus-visible{outline:3px solid #0b4f8a;outline-offset:3px}
.continue{display:block;text-align:center;background:#0b4f8a;color:#fff;font-size:1.25rem;font-weight:700;padding:1rem;border-radius:.5rem;text-decoration:none;margin:1.5rem 0}
.continue:focus-visible{outline-color:#1a1a1a}
.secondary{font-weight:600}
p a:not(.continue){display:inline-block;padding:.6rem 0}
</style>
</head>
<body>
<main>
  <h1>${e(t("shareThanks.heading"))}</h1>
  <p>${e(t("shareThanks.lead", { firstName: input.firstName, network: input.network }))}</p>
  <p><a class="continue" href="${e(input.target)}">${e(t("shareThanks.continue", { network: input.network }))}</a></p>
  ${another}
  <p><a href="/cv/${e(input.slug)}">${e(t("shareThanks.back", { firstName: input.firstName }))}</a></p>
</main>
</body>
</html>
`;
}
