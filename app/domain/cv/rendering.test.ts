import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { AppError } from "~/http/app-error";
import { renderCvPdf } from "./pdf.server";
import { processPhoto } from "./photos.server";
import { renderPreviewPng } from "./preview-image.server";
import type { CompleteCv, PublicCv } from "./public-cv";

/** Nadège, a published candidate, as the public sees her: first name and initial only. */
function aPublishedCvOfNadege(): PublicCv {
  return {
    slug: "nadege-b-7f3k",
    firstName: "Nadège",
    lastInitial: "B.",
    photoUrl: "/cv/nadege-b-7f3k/photo/1.jpg",
    catchphrase: "Fiable, souriante et à l'écoute",
    story: "J'ai été aide-cuisinière pendant huit ans. Après une séparation, j'ai vécu deux années très dures ; aujourd'hui je suis prête à reprendre un travail, avec cœur.",
    goals: [
      { businessLine: "hospitality", job: "commis de cuisine" },
      { businessLine: "cleaning", job: "agente de propreté" },
    ],
    skills: ["Ponctualité", "Hygiène HACCP", "Travail en équipe", "Gestion des stocks", "Écoute", "Bonne humeur", "Septième, jamais montrée"],
    experiences: [
      { kind: "experience", title: "Aide-cuisinière", organisation: "Brasserie du Marché", place: "Montreuil", start: "2019-03", end: "2021-06", description: "Préparation des entrées, plonge, réception des livraisons." },
      { kind: "training", title: "Certificat HACCP", organisation: "Greta", place: "Créteil", start: "2023-09", end: "2023-10", description: "" },
    ],
    languages: [{ name: "Français", level: "langue maternelle" }],
    contracts: ["cdi", "insertion"],
    departments: ["75", "93"],
    availability: "Dès maintenant",
    transport: "Transports en commun",
    drivingLicence: false,
    passions: ["Pâtisserie", "Jardinage"],
    testimonials: [{ name: "Françoise M.", relation: "bénévole", text: "Nadège est d'une fiabilité à toute épreuve." }],
    employment: { status: "searching" },
    versionId: "00000000-0000-4000-8000-000000000001",
  };
}

/** The same CV as her coach sees it, with her contact details. */
function theCompleteCvOfNadege(): CompleteCv {
  return { ...aPublishedCvOfNadege(), lastName: "Bensaïd", email: "nadege.bensaid@example.fr", phone: "06 12 34 56 78", coachName: "Françoise Martin" };
}

const aSquarePhoto = () => sharp({ create: { width: 400, height: 400, channels: 3, background: "#2f855a" } }).jpeg().toBuffer();

async function pdfText(pdf: Buffer): Promise<{ text: string; pages: number[][] }> {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0, useSystemFonts: false, disableFontFace: true }).promise;
  try {
    let text = "";
    const pages: number[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      pages.push(page.view);
      const content = await page.getTextContent();
      for (const item of content.items) if ("str" in item) text += item.str + (item.hasEOL ? "\n" : "");
      text += "\n";
    }
    return { text: text.replace(/[ \u00a0]+/g, " "), pages };
  } finally {
    await doc.destroy();
  }
}

async function expectRefusal(promise: Promise<unknown>, key: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("INVALID");
  expect((error as AppError).fieldErrors).toEqual({ photo: key });
}

describe("the CV as a PDF", () => {
  it("is an A4 PDF with real French text, the goals and the photo, and no contact details when public", async () => {
    const pdf = await renderCvPdf(aPublishedCvOfNadege(), { photo: await aSquarePhoto(), locale: "fr" });

    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const { text, pages } = await pdfText(pdf);
    for (const [, , width, height] of pages) {
      expect(Math.round(width!)).toBe(595);
      expect(Math.round(height!)).toBe(842);
    }
    expect(text).toContain("Nadège B.");
    expect(text).toContain("« Fiable, souriante et à l'écoute »");
    expect(text).toContain("J'aimerais travailler dans Restauration et hôtellerie comme commis de cuisine");
    expect(text).toContain("J'aimerais travailler dans Propreté comme agente de propreté");
    expect(text).toContain("2019 – 2021");
    expect(text).toContain("Paris (75)");
    expect(text).toContain("Seine-Saint-Denis (93)");
    expect(text).toContain("Contrat d'insertion (CDDI)");
    expect(text).toContain("« Nadège est d'une fiabilité à toute épreuve. »");
    for (const accented of ["é", "è", "à", "ç", "œ", "«", "»"]) expect(text, accented).toContain(accented);
    expect(text).toContain("avec cœur");
    expect(text).toContain("Françoise M.");

    for (const secret of ["Bensaïd", "nadege.bensaid@example.fr", "06 12 34 56 78", "Françoise Martin"]) expect(text).not.toContain(secret);
    // The photo is embedded as an image XObject (react-pdf would drop a WebP without a word).
    expect(pdf.toString("latin1")).toMatch(/\/Subtype\s*\/Image/);
  });

  it("shows the full name and the contact details on the complete CV, in English when asked", async () => {
    const pdf = await renderCvPdf(theCompleteCvOfNadege(), { photo: null, locale: "en" });
    const { text } = await pdfText(pdf);
    expect(text).toContain("Nadège Bensaïd");
    expect(text).toContain("nadege.bensaid@example.fr");
    expect(text).toContain("06 12 34 56 78");
    expect(text).toContain("I would like to work in Catering and hospitality as commis de cuisine");
    expect(pdf.toString("latin1")).not.toMatch(/\/Subtype\s*\/Image/);
  });

  it("embeds a WebP photo too, converted to JPEG", async () => {
    const webp = await sharp({ create: { width: 300, height: 300, channels: 3, background: "#c05621" } }).webp().toBuffer();
    const pdf = await renderCvPdf(aPublishedCvOfNadege(), { photo: webp, locale: "fr" });
    expect(pdf.toString("latin1")).toMatch(/\/Subtype\s*\/Image/);
  });
});

describe("the preview image of a CV", () => {
  it("is a 1200×630 PNG", async () => {
    const png = await renderPreviewPng(aPublishedCvOfNadege(), { photo: await aSquarePhoto(), locale: "fr" });
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    // IHDR: width and height, big-endian, right after the signature and the chunk header.
    expect(png.readUInt32BE(16)).toBe(1200);
    expect(png.readUInt32BE(20)).toBe(630);
    expect(await sharp(png).metadata()).toMatchObject({ format: "png", width: 1200, height: 630 });
  });

  it("is drawn without a photo as well", async () => {
    const png = await renderPreviewPng(aPublishedCvOfNadege(), { photo: null, locale: "en" });
    expect(await sharp(png).metadata()).toMatchObject({ format: "png", width: 1200, height: 630 });
  });
});

describe("a candidate's photo", () => {
  it("loses its EXIF data, GPS position included", async () => {
    const withGps = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#718096" } })
      .jpeg()
      .withExif({
        IFD0: { Make: "PhoneMaker", Model: "Phone 12", Artist: "Nadège Bensaïd" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 24/1", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 3/1" },
      })
      .toBuffer();
    expect((await sharp(withGps).metadata()).exif).toBeDefined();
    expect(withGps.toString("latin1")).toContain("PhoneMaker");

    const photo = await processPhoto(withGps);
    for (const output of [photo.square400, photo.large1200]) {
      const meta = await sharp(output).metadata();
      expect(meta.format).toBe("jpeg");
      expect(meta.exif).toBeUndefined();
      expect(output.toString("latin1")).not.toContain("PhoneMaker");
      expect(output.toString("latin1")).not.toContain("Bens");
    }
    expect(await sharp(photo.square400).metadata()).toMatchObject({ width: 400, height: 400 });
    expect({ width: photo.width, height: photo.height }).toEqual({ width: 800, height: 600 });
  });

  it("accepts PNG (transparency on white) and WebP, and keeps the large one under 1200 px", async () => {
    const png = await sharp({ create: { width: 2400, height: 1600, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const fromPng = await processPhoto(png);
    expect({ width: fromPng.width, height: fromPng.height }).toEqual({ width: 1200, height: 800 });
    expect(await sharp(fromPng.large1200).metadata()).toMatchObject({ format: "jpeg", width: 1200, height: 800 });
    const { data } = await sharp(fromPng.square400).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)].every((v) => v > 245)).toBe(true);

    const webp = await sharp({ create: { width: 500, height: 700, channels: 3, background: "#3182ce" } }).webp().toBuffer();
    const fromWebp = await processPhoto(webp);
    expect(await sharp(fromWebp.square400).metadata()).toMatchObject({ format: "jpeg", width: 400, height: 400 });
  });

  it("turns the picture upright before cropping around the focus point", async () => {
    // Stored sideways (EXIF orientation 6, "rotate 90° clockwise"): its left half, red, is the top once upright.
    const sideways = await sharp({ create: { width: 400, height: 200, channels: 3, background: "#0000ff" } })
      .composite([{ input: { create: { width: 200, height: 200, channels: 3, background: "#ff0000" } }, left: 0, top: 0 }])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();

    const top = await processPhoto(sideways, { x: 0.5, y: 0 });
    expect({ width: top.width, height: top.height }).toEqual({ width: 200, height: 400 });
    expect(await centreColour(top.square400)).toBe("red");
    const bottom = await processPhoto(sideways, { x: 0.5, y: 1 });
    expect(await centreColour(bottom.square400)).toBe("blue");
  });

  it("refuses what is not a JPEG, PNG or WebP, whatever the file is called", async () => {
    await expectRefusal(processPhoto(Buffer.from("hello")), "cv.photoType");
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#000" } }).gif().toBuffer();
    await expectRefusal(processPhoto(gif), "cv.photoType");
    const truncated = (await aSquarePhoto()).subarray(0, 300);
    await expectRefusal(processPhoto(truncated), "cv.photoType");
  });

  it("refuses files over 10 MB and pictures too large to handle", async () => {
    await expectRefusal(processPhoto(Buffer.alloc(10 * 1024 * 1024 + 1)), "cv.photoTooBig");
    const tooWide = await sharp({ create: { width: 13000, height: 10, channels: 3, background: "#fff" } }).png().toBuffer();
    await expectRefusal(processPhoto(tooWide), "cv.photoTooLarge");
    // A small file that claims 7000×6000 px (a "decompression bomb"): refused from its header alone.
    await expectRefusal(processPhoto(aPngHeaderClaiming(7000, 6000)), "cv.photoTooLarge");
  });
});

/** A tiny PNG file whose header announces a size, with no pixels behind it. */
function aPngHeaderClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.alloc(0))), chunk("IEND", Buffer.alloc(0))]);
}

async function centreColour(jpeg: Buffer): Promise<string> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const at = (info.height / 2) * info.width * info.channels + (info.width / 2) * info.channels;
  const [r = 0, g = 0, b = 0] = data.subarray(at, at + 3);
  if (r > 200 && g < 60 && b < 60) return "red";
  if (b > 200 && r < 60 && g < 60) return "blue";
  return `rgb(${r}, ${g}, ${b})`;
}
