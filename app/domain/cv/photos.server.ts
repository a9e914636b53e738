import sharp, { type Metadata } from "sharp";
import { AppError } from "~/http/app-error";

/**
 * Candidate photos: what is accepted, and the two JPEGs kept of it. Server-only.
 *
 * The format is read from the bytes, never from the file name or the declared type. Every output
 * is re-encoded from pixels, so no metadata survives (EXIF, GPS position, camera, comments).
 */

export const PHOTO_LIMITS = {
  bytes: 10 * 1024 * 1024,
  pixels: 40_000_000,
  side: 12_000,
  square: 400,
  large: 1200,
} as const;

const ACCEPTED = new Set(["jpeg", "png", "webp"]);

export type ProcessedPhoto = {
  /** 400×400 JPEG, cropped around the focus point. */
  square400: Buffer;
  /** The whole picture as a JPEG, at most 1200 px on its longer side. */
  large1200: Buffer;
  /** Size of `large1200`. */
  width: number;
  height: number;
};

const refuse = (key: "cv.photoType" | "cv.photoTooBig" | "cv.photoTooLarge") => new AppError("INVALID", "form.errorSummary", { photo: key });

/**
 * @param crop the point to keep in the middle of the square, as fractions of the upright
 *   picture's width and height (0..1); the centre by default.
 */
export async function processPhoto(input: Buffer, crop?: { x: number; y: number }): Promise<ProcessedPhoto> {
  if (input.length > PHOTO_LIMITS.bytes) throw refuse("cv.photoTooBig");

  // Headers only: nothing is decoded before the size is known to be reasonable.
  let meta: Metadata;
  try {
    meta = await sharp(input).metadata();
  } catch {
    throw refuse("cv.photoType");
  }
  if (!ACCEPTED.has(meta.format)) throw refuse("cv.photoType");
  if (meta.width > PHOTO_LIMITS.side || meta.height > PHOTO_LIMITS.side || meta.width * meta.height > PHOTO_LIMITS.pixels) {
    throw refuse("cv.photoTooLarge");
  }

  // Upright first (phones store the rotation in EXIF), then crop in upright coordinates.
  const source = () => sharp(input, { autoOrient: true, failOn: "error", limitInputPixels: PHOTO_LIMITS.pixels }).flatten({ background: "#ffffff" });
  const { width, height } = meta.autoOrient;
  const side = Math.min(width, height);
  const focusX = clamp01(crop?.x ?? 0.5);
  const focusY = clamp01(crop?.y ?? 0.5);
  const left = Math.round(Math.min(Math.max(focusX * width - side / 2, 0), width - side));
  const top = Math.round(Math.min(Math.max(focusY * height - side / 2, 0), height - side));

  try {
    const [square400, large] = await Promise.all([
      source()
        .extract({ left, top, width: side, height: side })
        .resize(PHOTO_LIMITS.square, PHOTO_LIMITS.square)
        .jpeg({ quality: 85, mozjpeg: true })
        .toBuffer(),
      source()
        .resize(PHOTO_LIMITS.large, PHOTO_LIMITS.large, { fit: "inside", withoutEnlargement: true })
        .jpeg({ quality: 82, mozjpeg: true })
        .toBuffer({ resolveWithObject: true }),
    ]);
    return { square400, large1200: large.data, width: large.info.width, height: large.info.height };
  } catch (error) {
    // The header was readable but the pixels are not (truncated or corrupt file): the
    // candidate's problem. Anything else is ours and goes on up.
    if (error instanceof Error && UNDECODABLE.test(error.message)) throw refuse("cv.photoType");
    throw error;
  }
}

/** How libvips' loaders say that pixel data is broken ("VipsJpeg: premature end of JPEG image"…). */
const UNDECODABLE = /Vips(Jpeg|Png|Webp|ForeignLoad)|Input buffer|corrupt|premature|truncat|unable to (parse|decode)|libspng|read error/i;

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0.5;
}
