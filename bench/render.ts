import { aCvContent } from "../app/db/factories";
import { renderCvPdf } from "../app/domain/cv/pdf.server";
import { renderPreviewPng } from "../app/domain/cv/preview-image.server";
import { toPublicCv } from "../app/domain/cv/projection";
import { fmt, percentile } from "./support";
import sharp from "sharp";

/** Preview image (target ≤ 100 ms) and PDF (≤ 300 ms) when not cached, warm process. */
export async function benchRender(runs: number) {
  const photo = await sharp({ create: { width: 800, height: 800, channels: 3, background: { r: 180, g: 120, b: 90 } } }).jpeg().toBuffer();
  const card = toPublicCv({ slug: "bench-cv", employedAt: null, employedUntil: null }, { firstName: "Aminata", lastName: "Koné" }, aCvContent(), "v1");
  await renderPreviewPng(card, { photo, locale: "fr" });
  await renderCvPdf(card, { photo, locale: "fr" });
  const png: number[] = [];
  const pdf: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    await renderPreviewPng({ ...card, catchphrase: `${card.catchphrase} ${i}` }, { photo, locale: "fr" });
    png.push(performance.now() - t0);
    t0 = performance.now();
    await renderCvPdf({ ...card, catchphrase: `${card.catchphrase} ${i}` }, { photo, locale: "fr" });
    pdf.push(performance.now() - t0);
  }
  const pngP50 = percentile(png, 50);
  const pdfP50 = percentile(pdf, 50);
  console.log(`preview PNG (uncached): median ${fmt(pngP50)} ms, p95 ${fmt(percentile(png, 95))} ms (target ≤ 100 ms) ${pngP50 <= 100 ? "OK" : "ABOVE TARGET"}`);
  console.log(`PDF (uncached):         median ${fmt(pdfP50)} ms, p95 ${fmt(percentile(pdf, 95))} ms (target ≤ 300 ms) ${pdfP50 <= 300 ? "OK" : "ABOVE TARGET"}`);
}
