import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { pino, stdTimeFunctions, type DestinationStream, type Level, type Logger } from "pino";

/**
 * The one logger of the server (web processes, worker, jobs). What it writes:
 * - production: one JSON object per line on stdout, for the host's log collector;
 * - development (`NODE_ENV=development`): the same lines made readable by pino-pretty;
 * - test: warnings and errors only, handed to console.warn / console.error, so that an
 *   unexpected error still fails the test (tests/support/strict-console.ts).
 * `LOG_LEVEL` (trace, debug, info, warn, error, fatal, silent) overrides the default level.
 *
 * No personal data: request lines carry the method, the URL with its secrets replaced
 * (`redactUrl`), the status and the time — never headers, cookies or bodies; `redact` below
 * blanks such fields should a caller pass them anyway, and errors are scrubbed of e-mail
 * addresses and of the parameters drizzle puts in a failed query's message.
 */

/** Fields that never reach a log line, whoever passes them. */
const REDACTED_FIELDS = [
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  "headers.cookie",
  "headers.authorization",
  "cookie",
  "authorization",
  "body",
  "*.body",
  "email",
  "*.email",
  "name",
  "*.name",
  "password",
  "*.password",
  "token",
  "*.token",
];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** An error's message or stack without e-mail addresses, nor the values of a failed query. */
function scrub(text: string): string {
  return text.replace(/\nparams: [^\n]*/g, "\nparams: [redacted]").replace(EMAIL, "[e-mail]");
}

function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === "string" ? scrub(error) : error;
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: scrub(error.message),
    ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
    ...(error.stack ? { stack: scrub(error.stack) } : {}),
    ...(error.cause !== undefined && depth < 3 ? { cause: serializeError(error.cause, depth + 1) } : {}),
  };
}

/** Test runs: error lines to console.error (strict-console fails the test), warnings to console.warn. */
function consoleDestination(): DestinationStream {
  return {
    write(line: string) {
      const { level, msg, err, time: _time, ...fields } = JSON.parse(line) as { level: number; msg?: string; err?: { stack?: string }; time?: string };
      const text = [msg, err?.stack, Object.keys(fields).length > 0 ? JSON.stringify(fields) : ""].filter(Boolean).join("\n");
      if (level >= 50) console.error(text);
      else console.warn(text);
    },
  };
}

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve("pino-pretty");
    return true;
  } catch {
    return false;
  }
}

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

export function createLogger(
  options: { env?: string | undefined; level?: string | undefined; destination?: DestinationStream } = {},
): Logger {
  const env = options.env ?? "production";
  // A level pino does not know is ignored here; loadConfig refuses it with a clear message.
  const chosen = LOG_LEVELS.find((known) => known === options.level);
  const level: Level | "silent" = chosen ?? (env === "test" ? "warn" : "info");
  const settings = {
    level,
    base: env === "test" ? null : { pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_FIELDS, censor: "[redacted]" },
    serializers: { err: serializeError, error: serializeError },
  };
  if (options.destination) return pino(settings, options.destination);
  if (env === "test") return pino(settings, consoleDestination());
  if (env === "development" && prettyAvailable()) {
    return pino({ ...settings, transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss", ignore: "pid" } } });
  }
  return pino(settings);
}

export const logger: Logger = createLogger({ env: process.env.NODE_ENV, level: process.env.LOG_LEVEL });

/** An `X-Request-Id` we accept from a proxy: a short token of safe characters. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** The incoming request id when it is a short safe token, or a new one. */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  return typeof incoming === "string" && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Route parameters that are not secret and may stay in a logged URL. Any other parameter of a
 * route (`:token`, `:key`, whatever a new route names it) is replaced by its name: a new
 * one-click link is redacted without anyone having to remember this list.
 */
export const PUBLIC_ROUTE_PARAMS = new Set(["slug", "id", "candidateId", "offerId", "photo", "network", "code"]);

type Piece = { literal: string } | { param: string; keep: boolean } | { splat: true };
type RoutePattern = { regex: RegExp; prefix: RegExp; pieces: Piece[] };

/** A route path as a regex, or null when it has no secret parameter (nothing to hide). */
function compile(path: string): RoutePattern | null {
  const pieces: Piece[] = [];
  const parts: string[] = [];
  let secret = false;
  for (const segment of path.split("/").filter(Boolean)) {
    if (segment === "*") {
      pieces.push({ splat: true });
      parts.push("(/.*)?");
    } else if (segment.startsWith(":")) {
      const name = segment.slice(1).replace(/\?$/, "");
      const keep = PUBLIC_ROUTE_PARAMS.has(name);
      secret ||= !keep;
      pieces.push({ param: name, keep });
      parts.push(segment.endsWith("?") ? "(?:/([^/]+))?" : "/([^/]+)");
    } else {
      pieces.push({ literal: segment });
      parts.push(`/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
    }
  }
  if (!secret) return null;
  return { regex: new RegExp(`^${parts.join("")}/?$`, "i"), prefix: new RegExp(`^${parts.join("")}(?=/)`, "i"), pieces };
}

/** The full paths of a React Router route manifest (a server build's `routes`). */
export function routePaths(manifest: Record<string, { path?: string | undefined; parentId?: string | undefined } | undefined>): string[] {
  const full = (id: string | undefined): string => {
    const route = id ? manifest[id] : undefined;
    if (!route) return "";
    return `${full(route.parentId)}/${route.path ?? ""}`.replace(/\/+/g, "/");
  };
  return Object.keys(manifest).map(full);
}

export type UrlRedactor = (url: string) => string;

function redactQuery(query: string): string {
  if (!query) return "";
  const names = query.split("&").map((pair) => (pair.includes("=") ? `${pair.slice(0, pair.indexOf("="))}=[redacted]` : pair));
  return `?${names.join("&")}`;
}

/**
 * A function that hides the secrets of a URL before it is logged: the non-public parameters of
 * the route it matches (also in its `.data` form, a client navigation) become their name
 * (`/suivi-offre/:token`), and every query parameter loses its value (`?cle=`, `?token=`, a
 * search that might be a name…). Built from the route table, so a new route with a secret
 * parameter is covered without a list to keep.
 */
export function urlRedactor(paths: string[]): UrlRedactor {
  const patterns = paths.map(compile).filter((pattern): pattern is RoutePattern => pattern !== null);
  const rebuild = (pieces: Piece[], match: RegExpExecArray) => {
    let group = 1;
    let path = "";
    for (const piece of pieces) {
      if ("literal" in piece) path += `/${piece.literal}`;
      else {
        const value = match[group++];
        if ("splat" in piece) path += value ?? "";
        else if (value !== undefined) path += piece.keep ? `/${value}` : `/:${piece.param}`;
      }
    }
    return path || "/";
  };
  return (url: string) => {
    const { path: raw, query } = normalize(url);
    const data = raw.endsWith(".data") ? ".data" : "";
    let path = data ? raw.slice(0, -data.length) : raw;
    let exact = false;
    for (const { regex, pieces } of patterns) {
      const match = regex.exec(path);
      if (!match) continue;
      path = rebuild(pieces, match);
      exact = true;
      break;
    }
    // A secret route's URL with more after it (a mistyped or cut link) hides the rest too.
    if (!exact) {
      for (const { prefix, pieces } of patterns) {
        const match = prefix.exec(path);
        if (!match) continue;
        path = `${rebuild(pieces, match)}/…`;
        break;
      }
    }
    return `${path}${data}${redactQuery(query)}`;
  };
}

/**
 * The path as the router sees it (absolute-form target reduced to its path, repeated slashes
 * folded, percent-escapes decoded: `/suivi%2Doffre/…` is the same route) and the raw query.
 */
function normalize(url: string): { path: string; query: string } {
  let target = url;
  if (!target.startsWith("/")) {
    try {
      const parsed = new URL(target);
      target = `${parsed.pathname}${parsed.search}`;
    } catch {
      return { path: "/…", query: "" };
    }
  }
  const mark = target.indexOf("?");
  const path = (mark === -1 ? target : target.slice(0, mark))
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/")
    .replace(/\/+/g, "/");
  return { path, query: mark === -1 ? "" : target.slice(mark + 1) };
}

/** Before the route table is known (the dev server's build loads later): every segment after the first is hidden. */
export const redactAllButFirstSegment: UrlRedactor = (url) => {
  const mark = url.indexOf("?");
  const path = mark === -1 ? url : url.slice(0, mark);
  const [first = "", ...rest] = path.split("/").filter(Boolean);
  return `/${[first, ...rest.map(() => "…")].join("/")}${mark === -1 ? "" : "?[redacted]"}`;
};
