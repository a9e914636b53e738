import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import satori from "satori";
import sharp from "sharp";
import type { Locale } from "~/db/schema";
import { translator } from "~/i18n";
import type { PublicCv } from "./public-cv";

/**
 * The Open Graph card of a public CV (1200×630 PNG), shown when someone shares the CV link.
 * Only public fields are read, one by one. Server-only; callers cache it by CV version.
 */

export const PREVIEW_WIDTH = 1200;
export const PREVIEW_HEIGHT = 630;
const PHOTO_SIZE = 300;
const MAX_SKILLS = 6;

const FAMILY = "Noto Sans";
const INK = "#1f2933";
const ACCENT = "#d4531c";
const LIGHT = "#f5f2ee";
const oneLine = { display: "block", whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" } as const;
type SatoriFont = { name: string; data: Buffer; weight: 400 | 700; style: "normal" };

const fontFile = (name: string) => createRequire(import.meta.url).resolve(`@expo-google-fonts/noto-sans/${name}/NotoSans_${name}.ttf`);

// Read once per process; satori caches the parsed fonts by the identity of this array.
let fonts: Promise<SatoriFont[]> | null = null;
function loadFonts(): Promise<SatoriFont[]> {
  fonts ??= Promise.all([
    readFile(fontFile("400Regular")).then((data): SatoriFont => ({ name: FAMILY, data, weight: 400, style: "normal" })),
    readFile(fontFile("700Bold")).then((data): SatoriFont => ({ name: FAMILY, data, weight: 700, style: "normal" })),
  ]).catch((error: unknown) => {
    fonts = null;
    throw error;
  });
  return fonts;
}

export type PreviewOptions = { photo: Buffer | null; locale: Locale };

export async function renderPreviewPng(cv: PublicCv, options: PreviewOptions): Promise<Buffer> {
  const t = translator(options.locale);
  const [fontList, photo] = await Promise.all([loadFonts(), options.photo ? photoDataUrl(options.photo) : null]);
  const name = `${cv.firstName} ${cv.lastInitial}`;
  const goals = cv.goals.map((g) => `${g.job} · ${t(`businessLine.${g.businessLine}`)}`);
  const skills = cv.skills.slice(0, MAX_SKILLS);

  const svg = await satori(
    <div style={{ width: "100%", height: "100%", display: "flex", flexDirection: "column", backgroundColor: "#ffffff", fontFamily: FAMILY, color: INK }}>
      <div style={{ display: "flex", flex: 1, minHeight: 0, overflow: "hidden", alignItems: "center", padding: "40px 64px" }}>
        {photo ? (
          <img src={photo} width={PHOTO_SIZE} height={PHOTO_SIZE} style={{ flexShrink: 0, borderRadius: PHOTO_SIZE / 2, objectFit: "cover", marginRight: 56 }} />
        ) : (
          <div style={{ display: "flex", flexShrink: 0, alignItems: "center", justifyContent: "center", width: PHOTO_SIZE, height: PHOTO_SIZE, borderRadius: PHOTO_SIZE / 2, backgroundColor: LIGHT, color: ACCENT, fontSize: 120, fontWeight: 700, marginRight: 56 }}>
            {cv.firstName.charAt(0).toUpperCase()}
          </div>
        )}
        <div style={{ display: "flex", flexDirection: "column", flex: 1, minWidth: 0 }}>
          {/* Every text has a bounded number of lines: the longest CV still fits the card. */}
          <div style={{ ...oneLine, fontSize: 60, fontWeight: 700, lineHeight: 1.15 }}>{name}</div>
          {cv.catchphrase && <div style={{ display: "block", lineClamp: 2, fontSize: 32, color: ACCENT, marginTop: 12, lineHeight: 1.25 }}>{t("cvDoc.quote", { text: cv.catchphrase })}</div>}
          {goals.map((goal, i) => (
            <div key={i} style={{ ...oneLine, fontSize: 26, fontWeight: 700, marginTop: i === 0 ? 20 : 4 }}>
              {goal}
            </div>
          ))}
          {skills.length > 0 && (
            <div style={{ display: "flex", flexWrap: "wrap", maxHeight: 104, overflow: "hidden", marginTop: 20 }}>
              {skills.map((skill, i) => (
                <div key={i} style={{ fontSize: 22, padding: "6px 16px", marginRight: 10, marginBottom: 10, borderRadius: 20, backgroundColor: LIGHT }}>
                  {skill}
                </div>
              ))}
            </div>
          )}
        </div>
      </div>
      <div style={{ display: "flex", flexShrink: 0, alignItems: "center", justifyContent: "space-between", height: 72, padding: "0 64px", backgroundColor: ACCENT, color: "#ffffff" }}>
        <div style={{ fontSize: 32, fontWeight: 700 }}>{t("app.name")}</div>
        <div style={{ fontSize: 22 }}>{t("cvDoc.previewShare")}</div>
      </div>
    </div>,
    { width: PREVIEW_WIDTH, height: PREVIEW_HEIGHT, fonts: fontList },
  );

  // Text is already paths in the SVG: no system font is needed (and loading them is slow).
  const image = new Resvg(svg, { fitTo: { mode: "original" }, font: { loadSystemFonts: false } }).render();
  // sharp encodes the PNG in about half the time of resvg's encoder, and a third smaller.
  return sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 4 } }).png().toBuffer();
}

/** satori embeds PNG and JPEG only; anything else (WebP) is turned into JPEG first. */
async function photoDataUrl(bytes: Buffer): Promise<string> {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return `data:image/jpeg;base64,${bytes.toString("base64")}`;
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return `data:image/png;base64,${bytes.toString("base64")}`;
  const jpeg = await sharp(bytes).autoOrient().flatten({ background: "#ffffff" }).jpeg({ quality: 85 }).toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString("base64")}`;
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
