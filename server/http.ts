import path from "node:path";
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import { createRequestHandler as createReactRouterHandler, type ServerBuild } from "react-router";
import { LANG_COOKIE, SESSION_COOKIE } from "../app/http/session.server";
import { isLocale } from "../app/i18n";
import type { Locale } from "../app/db/schema";
import { isReadableTarget } from "../app/http/request-target";
import { countShare, countView, evictSharedCv, isShareNetwork, shareAnswer, sharedCv, VIEW_PIXEL } from "../app/domain/sharing/ingest";
import { PublicPageCache } from "./public-page-cache";
import type { RequestContext } from "../app/http/context";

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

/**
 * The HTTP layer: static files, security headers, the CSRF cookie, then React Router.
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
  const headers = securityHeaders(services.config.secureCookies);
  app.use((_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  });
  // A path or query string with a control character or a broken escape reaches no route.
  app.use((req, res, next) => {
    if (isReadableTarget(req.originalUrl)) return next();
    res.status(400).type("text/plain; charset=utf-8").send("Adresse invalide : elle contient un caractère de contrôle ou un encodage illisible. Vérifiez le lien et recommencez.");
  });
  options.beforeRoutes?.(app);
  if (options.mode !== "development") {
    const client = path.join(projectRoot, "build", "client");
    app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y", index: false }));
    app.use(express.static(client, { maxAge: "1h", index: false }));
  }
  // Double-submit CSRF token: an HttpOnly cookie that every form echoes in a hidden field.
  app.use((req, res, next) => {
    const token = ensureCsrfCookie(req, res, services.config.secureCookies);
    res.locals.csrfToken = token;
    // A form posted from another site is refused here, before any action runs.
    const origin = req.headers.origin;
    const sameSite = origin === publicOrigin || origin === `${req.protocol}://${req.get("host")}`;
    if (req.method !== "GET" && req.method !== "HEAD" && origin && origin !== "null" && !sameSite) {
      res.status(403).type("text/plain; charset=utf-8").send("Formulaire refusé : il ne vient pas de ce site. Rechargez la page et recommencez.");
      return;
    }
    next();
  });
  app.all(
    "/{*path}",
    createRequestHandler({
      build: options.build,
      mode: options.mode ?? "production",
      getLoadContext: (req, res): RequestContext => ({
        services,
        csrfToken: res.locals.csrfToken as string,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
      }),
    }),
  );
  return app;
}

/** Headers every answer carries, from express or from the public page cache. */
export function securityHeaders(secure: boolean): [string, string][] {
  const headers: [string, string][] = [
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "strict-origin-when-cross-origin"],
    ["X-Frame-Options", "DENY"],
    [
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self' ws:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    ],
  ];
  if (secure) headers.push(["Strict-Transport-Security", "max-age=31536000"]);
  return headers;
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
  const render = createReactRouterHandler(options.build, options.mode ?? "production");
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

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    // An unreadable address skips the fast paths: express refuses it.
    if (!isReadableTarget(req.url ?? "/")) return void app(req, res);
    try {
      serve(req, res);
    } catch (error) {
      // The fast path must never take the process down: express answers instead.
      console.error("Public page cache:", (error as Error).message);
      if (!res.headersSent) app(req, res);
    }
  };

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const event = enabled && (req.method === "GET" || req.method === "POST") ? EVENT_PATH.exec(req.url ?? "") : null;
    if (event && !(req.method === "POST" && (event[1] || !sameSiteOrNoOrigin(req))) && !readCookie(req.headers.cookie, SESSION_COOKIE)) {
      void serveEvent(req, res, event).catch((error: Error) => {
        console.error("Event ingestion:", error.message);
        if (!res.headersSent) answer(res, 500, [["Content-Type", "text/plain; charset=utf-8"]], "Erreur momentanée : réessayez dans un instant.");
      });
      return;
    }
    const match = enabled && (req.method === "GET" || req.method === "HEAD") ? CACHED_PATH.exec(req.url ?? "") : null;
    if (!match || readCookie(req.headers.cookie, SESSION_COOKIE)) return void app(req, res);
    const slug = match[1]!;
    const lang = (readCookie(req.headers.cookie, LANG_COOKIE) ?? "").slice(0, 40);
    const page = cache.get(slug, lang);
    if (!page) {
      // This visitor gets the usual render; the cache is filled beside it for the next ones.
      void cache
        .fill(slug, lang, async () => {
          const response = await render(
            // A crawler-like agent makes React render the whole document at once (no streamed parts).
            new Request(`${services.config.publicUrl}/cv/${slug}`, {
              headers: { "User-Agent": "LinkedOut page cache bot", ...(lang ? { Cookie: `${LANG_COOKIE}=${lang}` } : {}) },
            }),
            { services, csrfToken: "", clientIp: "cache" },
          );
          const kept = [...response.headers].filter(([name]) => name !== "set-cookie" && name !== "content-length");
          return { status: response.status, headers: kept, body: Buffer.from(await response.arrayBuffer()) };
        })
        .catch((error: Error) => console.error("Public page cache:", error.message));
      return void app(req, res);
    }
    for (const [name, value] of headers) res.setHeader(name, value);
    for (const [name, value] of page.headers) res.setHeader(name, value);
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
  return { listener, app, cache };
}

export async function loadProductionBuild(): Promise<ServerBuild> {
  const file = path.join(projectRoot, "build", "server", "index.js");
  return (await import(file)) as ServerBuild;
}
