import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import type { MessageKey } from "~/i18n";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

// Only passwords long enough to pass the length rule matter here.
const commonPasswords = new Set(
  [...(dictionary["passwords-common"] as string[]), "azertyuiop", "motdepasse", "motdepasse1", "motdepasse123", "linkedout123"].filter(
    (p) => p.length >= PASSWORD_MIN,
  ),
);

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: the OWASP baseline). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A fixed hash to verify against when the address is unknown, so timing does not reveal it. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hash("not-a-real-password-for-timing");
  return decoyHash;
}

export function passwordProblem(password: string): MessageKey | null {
  if (password.length < PASSWORD_MIN) return "password.tooShort";
  if (password.length > PASSWORD_MAX) return "password.tooLong";
  if (commonPasswords.has(password.toLowerCase())) return "password.common";
  return null;
}
