import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import { createRequestHandler as createReactRouterHandler, type ServerBuild } from "react-router";
import { LANG_COOKIE, SESSION_COOKIE } from "../app/http/session.server";
import { isLocale, translator } from "../app/i18n";
import type { Locale } from "../app/db/schema";
import { isReadableTarget } from "../app/http/request-target";
import { countShare, countView, evictSharedCv, forgetSharedCvs, isShareNetwork, shareAnswer, sharedCv, VIEW_PIXEL } from "../app/domain/sharing/ingest";
import { PublicPageCache } from "./public-page-cache";
import { isDatabaseUnavailable } from "../app/db/unavailable";
import type { RequestContext } from "../app/http/context";
import { logger, redactAllButFirstSegment, requestIdFrom, routePaths, urlRedactor, type UrlRedactor } from "../app/logger.server";

export const projectRoot = path.resolve(import.meta.dirname, "..");
export const CSRF_COOKIE = "lo_csrf";

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return undefined; // a malformed cookie is no cookie
    }
  }
  return undefined;
}

/** How long a client should wait before trying again while the database is away. */
const RETRY_AFTER_SECONDS = "5";

/** The body of a 503 while the database is away: what the error page shows, in the visitor's language. */
export function unavailableBody(locale: Locale) {
  return { error: "unavailable", locale, message: translator(locale)("unavailable.text") };
}

/**
 * Every loader and action of the build, with one rule (decision 016): an error that means the
 * database cannot be reached (a restart, a failover) becomes a 503 answer, which React Router
 * renders as the error page for documents, encodes for client navigations and returns as is
 * from resource routes. Any other error goes on as before: a bug stays a 500.
 */
export function withDatabaseOutagesAs503(build: ServerBuild): ServerBuild {
  const guard = <A extends { request: Request }>(routeId: string, handler: ((args: A) => unknown) | undefined) =>
    handler &&
    (async (args: A) => {
      try {
        return await handler(args);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        // The route's id, not its URL: a URL may carry a token (decision 022).
        logger.warn({ err: error, method: args.request.method, route: routeId }, "Database unavailable (503)");
        throw Response.json(unavailableBody(localeOf(args.request.headers.get("Cookie") ?? undefined)), {
          status: 503,
          headers: { "Retry-After": RETRY_AFTER_SECONDS, "Cache-Control": "no-store" },
        });
      }
    });
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const module: Record<string, unknown> = { ...route.module };
    for (const name of ["loader", "action"]) if (typeof module[name] === "function") module[name] = guard(id, module[name] as never);
    routes[id] = { ...route, module: module as unknown as typeof route.module };
  }
  return { ...build, routes };
}

function guardedBuild(build: ServerBuild | (() => Promise<ServerBuild>)): ServerBuild | (() => Promise<ServerBuild>) {
  return typeof build === "function" ? async () => withDatabaseOutagesAs503(await build()) : withDatabaseOutagesAs503(build);
}

const REQUEST_ID = Symbol("requestId");

/** This request's id: the proxy's `X-Request-Id` when it is a short safe token, else a new one. */
function requestIdOf(req: IncomingMessage): string {
  const carrier = req as IncomingMessage & { [REQUEST_ID]?: string };
  return (carrier[REQUEST_ID] ??= requestIdFrom(req.headers["x-request-id"]));
}

/**
 * What hides the secrets of logged URLs, from the route table of the build. The dev server's
 * build loads later: until then, every segment past the first is hidden.
 */
function redactorFor(build: ServerBuild | (() => Promise<ServerBuild>)): { redact: UrlRedactor } {
  if (typeof build !== "function") return { redact: urlRedactor(routePaths(build.routes)) };
  const holder = { redact: redactAllButFirstSegment };
  build().then(
    (loaded) => (holder.redact = urlRedactor(routePaths(loaded.routes))),
    () => undefined,
  );
  return holder;
}

/**
 * The HTTP layer: request ids and the request log, static files, security headers, the CSRF cookie, then React Router.
 * `build` is the production server build, or a loader of Vite's dev build.
 */
export function createHttpApp(options: {
  services: RequestContext["services"];
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode?: "production" | "development";
  beforeRoutes?: (app: express.Express) => void;
}) {
  const { services } = options;
  const app = express();
  app.disable("x-powered-by");
  const urls = redactorFor(options.build);
  // One log line per answer (method, URL without its secrets, status, time, request id; never
  // headers, cookies or bodies). Loaders and actions get the id in their context.
  app.use((req, res, next) => {
    const requestId = requestIdOf(req);
    res.setHeader("X-Request-Id", requestId);
    const started = performance.now();
    res.once("close", () => {
      const line = { requestId, method: req.method, url: urls.redact(req.originalUrl), status: res.statusCode, ms: Math.round(performance.now() - started) };
      if (!res.writableFinished) logger.info({ ...line, aborted: true }, "request");
      else if (res.statusCode >= 500) logger.warn(line, "request");
      else logger.info(line, "request");
    });
    next();
  });
  // Event ingestion remembers CVs by slug: forget one when it changes, as the page cache does.
  const previous = services.onPublicCvChanged;
  services.onPublicCvChanged = (slug) => {
    previous?.(slug);
    evictSharedCv(services.db, slug);
  };
  // One proxy hop (the load balancer): the client cannot forge its IP with X-Forwarded-For.
  if (services.config.trustProxy) app.set("trust proxy", 1);
  const publicOrigin = new URL(services.config.publicUrl).origin;
  app.use(compression());
  const development = options.mode === "development";
  const headers = securityHeaders(services.config.secureCookies);
  app.use((_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    // React Router keeps only cookies from a thrown answer's headers on a document: a 503 (the
    // database away) tells the client when to come back here.
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
      if ((args[0] === 503 || res.statusCode === 503) && !res.hasHeader("Retry-After")) {
        res.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        res.setHeader("Cache-Control", "no-store");
      }
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    next();
  });
  // A path or query string with a control character or a broken escape reaches no route.
  app.use((req, res, next) => {
    if (isReadableTarget(req.originalUrl)) return next();
    res.status(400).type("text/html; charset=utf-8").send(shortPage(localeOf(req.headers.cookie), "badAddress"));
  });
  options.beforeRoutes?.(app);
  if (options.mode !== "development") {
    const client = path.join(projectRoot, "build", "client");
    app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y", index: false }));
    app.use(express.static(client, { maxAge: "1h", index: false }));
  }
  // Past the public files: what follows is rendered per request.
  app.use((req, res, next) => {
    // A fresh nonce per answer: only the scripts React Router renders for this answer may run.
    const nonce = randomBytes(18).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(development ? { development } : { nonce }));
    keepPrivateAnswersPrivate(req, res);
    next();
  });
  // Double-submit CSRF token: an HttpOnly cookie that every form echoes in a hidden field.
  app.use((req, res, next) => {
    const token = ensureCsrfCookie(req, res, services.config.secureCookies);
    res.locals.csrfToken = token;
    // A form posted from another site is refused here, before any action runs.
    const origin = req.headers.origin;
    const sameSite = origin === publicOrigin || origin === `${req.protocol}://${req.get("host")}`;
    // `Origin: null` (a sandboxed frame, a file, a privacy redirect) is no proof of coming from here either.
    if (req.method !== "GET" && req.method !== "HEAD" && origin && !sameSite) {
      res.status(403).type("text/html; charset=utf-8").send(shortPage(localeOf(req.headers.cookie), "crossSite"));
      return;
    }
    next();
  });
  app.all(
    "/{*path}",
    createRequestHandler({
      build: guardedBuild(options.build),
      mode: options.mode ?? "production",
      getLoadContext: (req, res): RequestContext => ({
        services,
        csrfToken: res.locals.csrfToken as string,
        cspNonce: res.locals.cspNonce as string,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        requestId: requestIdOf(req),
      }),
    }),
  );
  return app;
}

/**
 * The Content-Security-Policy of an answer. Scripts: our own files, plus the inline scripts React
 * Router renders, allowed by this answer's nonce — or, for a page from the public page cache
 * (rendered once, served to many), by the hashes of its inline scripts. Never 'unsafe-inline' for
 * scripts; only Vite's dev server (inline preamble, hot reload over a WebSocket) gets it.
 */
export function contentSecurityPolicy(allow: { nonce?: string; hashes?: string[]; development?: boolean } = {}): string {
  const scripts = allow.development
    ? ["'self'", "'unsafe-inline'"]
    : ["'self'", ...(allow.nonce ? [`'nonce-${allow.nonce}'`] : []), ...(allow.hashes ?? []).map((hash) => `'sha256-${hash}'`)];
  return [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    `script-src ${scripts.join(" ")}`,
    `connect-src 'self'${allow.development ? " ws:" : ""}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ");
}

/** The SHA-256 (base64) of every inline script of a page, for a CSP that names them. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(match[1]!) || !match[2]) continue;
    hashes.add(createHash("sha256").update(match[2], "utf8").digest("base64"));
  }
  return [...hashes];
}

/**
 * Headers every answer carries, from express or from the public page cache. The CSP here allows
 * no inline script at all; pages that have some replace it (with a nonce or hashes).
 */
export function securityHeaders(secure: boolean): [string, string][] {
  const headers: [string, string][] = [
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "strict-origin-when-cross-origin"],
    ["X-Frame-Options", "DENY"],
    ["Content-Security-Policy", contentSecurityPolicy()],
    // Nothing here uses these powerful features: no embedded third party may either.
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), browsing-topics=()"],
  ];
  // Behind https only (a plain-http test or local run would otherwise be locked out of itself).
  if (secure) headers.push(["Strict-Transport-Security", "max-age=31536000; includeSubDomains"]);
  return headers;
}

export const PRIVATE_CACHE_CONTROL = "private, no-store";

/**
 * No shared cache (proxy, CDN) may store an answer meant for one person: whatever the route
 * said, an answer to a signed-in request (it carries a session cookie), an answer that sets a
 * cookie, and every `.data` answer (client navigations: they carry the root data, with the
 * visitor's name and CSRF token) go out as `private, no-store`; an answer that says nothing gets
 * the same. Applied as the headers are written, so it holds for pages, resource routes, redirects
 * and error answers alike. Public files and public pages keep their own policy (and hand out no
 * CSRF cookie: they have no form, and a shared cache would give that cookie to everyone).
 */
function keepPrivateAnswersPrivate(req: IncomingMessage, res: ServerResponse) {
  const signedIn = readCookie(req.headers.cookie, SESSION_COOKIE) !== undefined;
  const dataRequest = /\.data(?:\?|$)/.test(req.url ?? "");
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    const declared = String(res.getHeader("Cache-Control") ?? "");
    if (/\bpublic\b/.test(declared) && !signedIn && !dataRequest) {
      // A public answer (a CV's photo, preview, PDF) has no form: it need not hand out a CSRF
      // cookie, which a shared cache would then hand to everyone.
      const cookies = ([] as string[]).concat((res.getHeader("Set-Cookie") as string | string[] | undefined) ?? []);
      const kept = cookies.filter((cookie) => !cookie.startsWith(`${CSRF_COOKIE}=`));
      if (kept.length > 0) res.setHeader("Set-Cookie", kept);
      else res.removeHeader("Set-Cookie");
    }
    if (signedIn || dataRequest || res.hasHeader("Set-Cookie") || !declared) res.setHeader("Cache-Control", PRIVATE_CACHE_CONTROL);
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}

type ShortPage = "crossSite" | "headersTooLarge" | "badRequest" | "badAddress";

/**
 * A short page for a request refused before any route runs (no React, no database): what
 * happened, what to do, a way home — never a blank page or an English status line.
 */
export function shortPage(locale: Locale, kind: ShortPage): string {
  const t = translator(locale);
  const title = t(`error.${kind}Title`);
  const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(title)} — LinkedOut</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:0 auto;padding:2rem 1.25rem;line-height:1.5;color:#1a1a1a}a{color:#0b4f8a}</style></head>
<body><main><h1>${escape(title)}</h1><p>${escape(t(`error.${kind}Text`))}</p><p><a href="/">${escape(t("notFound.home"))}</a></p></main></body>
</html>
`;
}

/**
 * Requests Node refuses before any handler sees them — headers over its limit (431), a request
 * it cannot parse (400), a request too slow to arrive (408) — get a short French page (nothing
 * is known of the visitor's language yet) instead of Node's bare status line.
 */
export function answerClientErrors(server: Server, secure = false) {
  const headers = securityHeaders(secure);
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    const body = Buffer.from(shortPage("fr", status === 431 ? "headersTooLarge" : "badRequest"));
    const head = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      "Content-Type: text/html; charset=utf-8",
      `Content-Length: ${body.length}`,
      `Cache-Control: ${PRIVATE_CACHE_CONTROL}`,
      "Connection: close",
      ...headers.map(([name, value]) => `${name}: ${value}`),
    ];
    socket.end(Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`), body]));
  });
}

/** The visitor's CSRF token, set as a cookie when they have none (or a malformed one). */
function ensureCsrfCookie(req: IncomingMessage, res: ServerResponse, secure: boolean): string {
  let token = readCookie(req.headers.cookie, CSRF_COOKIE);
  if (!token || !/^[A-Za-z0-9_-]{32,64}$/.test(token)) {
    token = randomBytes(24).toString("base64url");
    res.appendHeader("Set-Cookie", `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`);
  }
  return token;
}

const CACHED_PATH = /^\/cv\/([a-z0-9-]{1,60})$/;
/** `/cv/:slug/vu.gif` (1) or `/partager/:slug/:network` (2, 3), and the query string (4). */
const EVENT_PATH = /^\/(?:cv\/([a-z0-9-]{1,60})\/vu\.gif|partager\/([a-z0-9-]{1,60})\/([a-z]{1,20}))(?:\?([^#]*))?$/;

/** The visitor's language from the `lo_lang` cookie (React Router's encoding: base64 of JSON). */
function localeOf(cookieHeader: string | undefined): Locale {
  const raw = readCookie(cookieHeader, LANG_COOKIE);
  if (!raw) return "fr";
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, "base64").toString("utf8"));
    return isLocale(value) ? value : "fr";
  } catch {
    return "fr";
  }
}

/**
 * The node:http listener: public CV pages for anonymous visitors come from the in-memory page
 * cache (the "viral CV" case: no React render, no database); everything else goes to express.
 */
export function createRequestListener(options: Parameters<typeof createHttpApp>[0] & { cache?: PublicPageCache }) {
  const app = createHttpApp(options);
  const cache = options.cache ?? new PublicPageCache();
  const { services } = options;
  const headers = securityHeaders(services.config.secureCookies);
  const render = createReactRouterHandler(guardedBuild(options.build), options.mode ?? "production");
  const enabled = options.mode !== "development";
  // Chained: createHttpApp has hooked event ingestion's slug cache already.
  const previous = services.onPublicCvChanged;
  services.onPublicCvChanged = (slug) => {
    previous?.(slug);
    cache.evict(slug);
  };
  // A NOTIFY from another process reaches `cache.evict`: the slug lookups go with the page.
  cache.onEvict((slug) => evictSharedCv(services.db, slug));
  const publicOrigin = new URL(services.config.publicUrl).origin;

  /** The client's address as express computes it (one trusted proxy hop, or the socket). */
  const clientIp = (req: IncomingMessage): string => {
    const forwarded = req.headers["x-forwarded-for"];
    if (services.config.trustProxy && typeof forwarded === "string" && forwarded.trim()) return forwarded.split(",").at(-1)!.trim();
    return req.socket.remoteAddress ?? "unknown";
  };

  const answer = (res: ServerResponse, status: number, extra: [string, string][], body?: Buffer | string) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    for (const [name, value] of extra) res.setHeader(name, value);
    const bytes = body === undefined ? undefined : typeof body === "string" ? Buffer.from(body) : body;
    res.setHeader("Content-Length", bytes?.length ?? 0);
    res.statusCode = status;
    res.end(bytes);
  };

  /**
   * View pixels and share links of anonymous visitors, without express or React Router: the
   * lookups come from memory and the events are written by group commit (app/domain/sharing/ingest.ts).
   * Signed-in people go to the routes, which check that the CV's own people never count.
   */
  const serveEvent = async (req: IncomingMessage, res: ServerResponse, match: RegExpExecArray) => {
    const params = new URLSearchParams(match[4] ?? "");
    const client = { ip: clientIp(req), userAgent: req.headers["user-agent"] ?? "" };
    const via = params.get("via");
    if (match[1]) {
      const cv = await sharedCv(services.db, match[1]);
      if (cv) await countView(services, cv, client, via);
      return answer(res, 200, [["Content-Type", "image/gif"], ["Cache-Control", "no-store"], ["X-Robots-Tag", "noindex"]], VIEW_PIXEL);
    }
    const slug = match[2]!;
    const network = match[3]!;
    const cv = isShareNetwork(network) ? await sharedCv(services.db, slug) : null;
    if (!cv || !isShareNetwork(network)) return answer(res, 404, [["Content-Type", "text/plain; charset=utf-8"]], "Introuvable");
    await countShare(services, cv, network, client, via);
    if (req.method === "POST") return answer(res, 204, []);
    const locale = localeOf(req.headers.cookie);
    const result = await shareAnswer(services, { slug, cv, network, locale, direct: params.has("direct") });
    const common: [string, string][] = [["Cache-Control", "no-store"], ["Referrer-Policy", "no-referrer"]];
    if ("location" in result) return answer(res, 302, [...common, ["Location", result.location]]);
    return answer(res, 200, [...common, ["Content-Type", "text/html; charset=utf-8"], ["X-Robots-Tag", "noindex"]], result.html);
  };

  /** The beacon POST of copy-link and native share: refused (by express) if it comes from another site. */
  const sameSiteOrNoOrigin = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    return !origin || origin === "null" || origin === publicOrigin || origin === `http://${req.headers.host}` || origin === `https://${req.headers.host}`;
  };

  /** Renders the page for the cache, away from any visitor's request. */
  const refill = (slug: string, locale: Locale) => {
    void cache
      .fill(slug, locale, async () => {
        const response = await render(
          // A crawler-like agent makes React render the whole document at once (no streamed parts).
          new Request(`${services.config.publicUrl}/cv/${slug}`, {
            headers: { "User-Agent": "LinkedOut page cache bot", Cookie: `${LANG_COOKIE}=${Buffer.from(JSON.stringify(locale)).toString("base64")}` },
          }),
          { services, csrfToken: "", cspNonce: randomBytes(18).toString("base64"), clientIp: "cache", requestId: "page-cache" },
        );
        const kept = [...response.headers].filter(([name]) => !["set-cookie", "content-length", "content-security-policy"].includes(name));
        const body = Buffer.from(await response.arrayBuffer());
        // One body for many visitors: its inline scripts are allowed by their hashes, not a nonce
        // (a nonce served twice would be no nonce; rewriting it would cost a gzip per answer).
        kept.push(["Content-Security-Policy", contentSecurityPolicy({ hashes: inlineScriptHashes(body.toString("utf8")) })]);
        return { status: response.status, headers: kept, body };
      })
      .catch((error: Error) => (isDatabaseUnavailable(error) ? logger.warn({ err: error }, "Public page cache: filling failed") : logger.error({ err: error }, "Public page cache: filling failed")));
  };

  const urls = redactorFor(options.build);
  /**
   * A fast-path answer is logged only at debug level (`LOG_LEVEL=debug`): a viral CV page is
   * served thousands of times a second, and its log line would cost more than the answer.
   */
  const traced = (req: IncomingMessage, res: ServerResponse, requestId: string) => {
    if (!logger.isLevelEnabled("debug")) return;
    const started = performance.now();
    res.once("close", () =>
      logger.debug({ requestId, method: req.method, url: urls.redact(req.url ?? ""), status: res.statusCode, ms: Math.round(performance.now() - started), fast: true }, "request"),
    );
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    // An unreadable address skips the fast paths: express refuses it.
    if (!isReadableTarget(req.url ?? "/")) return void app(req, res);
    try {
      serve(req, res);
    } catch (error) {
      // The fast path must never take the process down: express answers instead.
      logger.error({ requestId: requestIdOf(req), err: error }, "Public page cache failed; express answers");
      if (!res.headersSent) app(req, res);
    }
  };

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const event = enabled && (req.method === "GET" || req.method === "POST") ? EVENT_PATH.exec(req.url ?? "") : null;
    if (event && !(req.method === "POST" && (event[1] || !sameSiteOrNoOrigin(req))) && !readCookie(req.headers.cookie, SESSION_COOKIE)) {
      const requestId = requestIdOf(req);
      res.setHeader("X-Request-Id", requestId);
      traced(req, res, requestId);
      void serveEvent(req, res, event).catch((error: Error) => {
        const unavailable = isDatabaseUnavailable(error);
        if (unavailable) logger.warn({ requestId, err: error }, "Event ingestion: database unavailable (503)");
        else logger.error({ requestId, err: error }, "Event ingestion failed");
        if (!res.headersSent) {
          const extra: [string, string][] = [["Content-Type", "text/plain; charset=utf-8"], ["Cache-Control", "no-store"]];
          if (unavailable) extra.push(["Retry-After", RETRY_AFTER_SECONDS]);
          answer(res, unavailable ? 503 : 500, extra, translator(localeOf(req.headers.cookie))(unavailable ? "unavailable.text" : "error.momentary"));
        }
      });
      return;
    }
    const match = enabled && (req.method === "GET" || req.method === "HEAD") ? CACHED_PATH.exec(req.url ?? "") : null;
    if (!match || readCookie(req.headers.cookie, SESSION_COOKIE)) return void app(req, res);
    const slug = match[1]!;
    // The language is all a cookie may change: any other value is French, and shares its entry.
    const locale = localeOf(req.headers.cookie);
    const page = cache.get(slug, locale);
    // A miss is rendered by express for this visitor and filled beside it for the next ones; a
    // stale page is served once more while one render replaces it (never past its maximum age).
    if (!page || cache.isStale(page)) refill(slug, locale);
    if (!page) return void app(req, res);
    const requestId = requestIdOf(req);
    traced(req, res, requestId);
    for (const [name, value] of headers) res.setHeader(name, value);
    for (const [name, value] of page.headers) res.setHeader(name, value);
    res.setHeader("X-Request-Id", requestId);
    ensureCsrfCookie(req, res, services.config.secureCookies);
    res.setHeader("Vary", "Accept-Encoding, Cookie");
    res.setHeader("Cache-Control", "public, max-age=0, must-revalidate");
    const gzip = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
    const body = gzip ? page.gzip : page.body;
    if (gzip) res.setHeader("Content-Encoding", "gzip");
    res.setHeader("Content-Length", body.length);
    res.statusCode = 200;
    res.end(req.method === "HEAD" ? undefined : body);
  };
  /**
   * Called when the LISTEN connection comes back after losing the database: the NOTIFYs sent
   * meanwhile are lost, so every cached page and CV lookup of this process may be stale.
   */
  const onDatabaseReconnect = () => {
    cache.clear();
    forgetSharedCvs(services.db);
  };
  return { listener, app, cache, onDatabaseReconnect };
}

export async function loadProductionBuild(): Promise<ServerBuild> {
  const file = path.join(projectRoot, "build", "server", "index.js");
  return (await import(file)) as ServerBuild;
}
