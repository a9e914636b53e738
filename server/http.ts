import path from "node:path";
import { randomBytes } from "node:crypto";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import type { ServerBuild } from "react-router";
import type { RequestContext } from "../app/http/context";

export const projectRoot = path.resolve(import.meta.dirname, "..");
export const CSRF_COOKIE = "lo_csrf";

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
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
  // One proxy hop (the load balancer): the client cannot forge its IP with X-Forwarded-For.
  if (services.config.trustProxy) app.set("trust proxy", 1);
  const publicOrigin = new URL(services.config.publicUrl).origin;
  app.use(compression());
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader(
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self' ws:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    );
    if (services.config.secureCookies) res.setHeader("Strict-Transport-Security", "max-age=31536000");
    next();
  });
  options.beforeRoutes?.(app);
  if (options.mode !== "development") {
    const client = path.join(projectRoot, "build", "client");
    app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y", index: false }));
    app.use(express.static(client, { maxAge: "1h", index: false }));
  }
  // Double-submit CSRF token: an HttpOnly cookie that every form echoes in a hidden field.
  app.use((req, res, next) => {
    let token = readCookie(req.headers.cookie, CSRF_COOKIE);
    if (!token || !/^[A-Za-z0-9_-]{32,64}$/.test(token)) {
      token = randomBytes(24).toString("base64url");
      res.cookie(CSRF_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: services.config.secureCookies, path: "/" });
    }
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

export async function loadProductionBuild(): Promise<ServerBuild> {
  const file = path.join(projectRoot, "build", "server", "index.js");
  return (await import(file)) as ServerBuild;
}
