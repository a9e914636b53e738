/** One typed error for the domain; its HTTP status is `status`, and forms.server.ts turns it into answers. */
export type AppErrorCode = "NOT_FOUND" | "FORBIDDEN" | "CONFLICT" | "INVALID" | "TOO_LARGE" | "RATE_LIMITED";

const statusByCode: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  INVALID: 400,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Per-field messages (already translated) for INVALID. */
  readonly fieldErrors: Record<string, string>;

  constructor(code: AppErrorCode, message: string, fieldErrors: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.fieldErrors = fieldErrors;
  }

  get status(): number {
    return statusByCode[this.code];
  }
}

export const notFound = (message = "Page introuvable") => new AppError("NOT_FOUND", message);
