import { validateHeaderName, validateHeaderValue } from "node:http";
import { createCookie, redirect, type AppLoadContext } from "react-router";
import type { Locale } from "~/db/schema";
import { createSession, findSessionUser, SESSION_DAYS, type SessionUser } from "~/domain/accounts/sessions";
import { hasControlCharacter } from "~/domain/text";
import { isLocale } from "~/i18n";

export const SESSION_COOKIE = "lo_session";
export const LANG_COOKIE = "lo_lang";

const cookies = new Map<string, ReturnType<typeof createCookie>>();
function sessionCookie(context: AppLoadContext) {
  const { sessionSecret, config } = context.services;
  const key = `${sessionSecret}:${config.secureCookies}`;
  let cookie = cookies.get(key);
  if (!cookie) {
    cookie = createCookie(SESSION_COOKIE, {
      httpOnly: true,
      sameSite: "lax",
      secure: config.secureCookies,
      path: "/",
      secrets: [sessionSecret],
      maxAge: SESSION_DAYS * 24 * 3600,
    });
    cookies.set(key, cookie);
  }
  return cookie;
}

const langCookie = createCookie(LANG_COOKIE, { sameSite: "lax", path: "/", maxAge: 365 * 24 * 3600, httpOnly: true });

export function sessionCookieHeader(context: AppLoadContext, token: string): Promise<string> {
  return sessionCookie(context).serialize(token);
}

/**
 * Opens a session on an answer that is already built: whatever could fail in building it (a
 * redirect target, a header) has failed before any session row exists, so a failed answer never
 * leaves an orphan session behind. The session is the last thing done before the answer leaves.
 */
export async function answerWithNewSession(context: AppLoadContext, response: Response, user: { userId: string; userAgent: string | null }): Promise<Response> {
  // Node refuses more than the Fetch API does (any control character): check as Node will write it.
  for (const [name, value] of response.headers) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
  }
  const token = await createSession(context.services.db, user.userId, user.userAgent);
  response.headers.append("Set-Cookie", await sessionCookieHeader(context, token));
  return response;
}

export function clearSessionCookieHeader(context: AppLoadContext): Promise<string> {
  return sessionCookie(context).serialize("", { maxAge: 0 });
}

const actorCache = new WeakMap<Request, Promise<SessionUser | null>>();

/** The signed-in user of this request, or null. Looked up once per request. */
export function getUser(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  let cached = actorCache.get(request);
  if (!cached) {
    cached = (async () => {
      const token = await sessionCookie(context).parse(request.headers.get("Cookie"));
      if (typeof token !== "string" || !token) return null;
      return findSessionUser(context.services.db, token);
    })();
    actorCache.set(request, cached);
  }
  return cached;
}

/** Pages for signed-in people send everyone else to the sign-in page, then back. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<SessionUser> {
  const user = await getUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/connexion?retour=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

/** The user's choice when signed in, else the language cookie, else French. */
export async function getLocale(request: Request, user: SessionUser | null): Promise<Locale> {
  if (user) return user.locale;
  const value = await langCookie.parse(request.headers.get("Cookie"));
  return isLocale(value) ? value : "fr";
}

export function langCookieHeader(locale: Locale): Promise<string> {
  return langCookie.serialize(locale);
}

/** A path of this site: "/" then printable ASCII only (no space, no control, no backslash), never "//". */
const SAME_SITE_PATH = /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/;
const RESOLVE_BASE = "http://same-site.invalid";

/**
 * The one check of every address a visitor is sent back to (`retour` after sign-in or a
 * language switch): a path of this site, or `fallback`. Refused: anything that does not start
 * with a single "/", a backslash, a control character (browsers drop TAB and LF, so "/\t/host"
 * would become "//host"), a space or a non-ASCII character that is not percent-encoded, an escape
 * that does not decode to UTF-8 or decodes to a control character. What is returned is always a
 * valid `Location` header, so the answer that uses it cannot fail.
 */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length > 2000 || !SAME_SITE_PATH.test(value)) return fallback;
  try {
    if (hasControlCharacter(decodeURIComponent(value), { lineBreaks: false })) return fallback;
    if (new URL(value, RESOLVE_BASE).origin !== RESOLVE_BASE) return fallback;
  } catch {
    return fallback;
  }
  return value;
}
