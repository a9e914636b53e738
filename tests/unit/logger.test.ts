import { Writable } from "node:stream";
import type { RouteConfigEntry } from "@react-router/dev/routes";
import { describe, expect, it } from "vitest";
import routes from "../../app/routes";
import { loadConfig } from "../../app/config.server";
import { createLogger, PUBLIC_ROUTE_PARAMS, requestIdFrom, routePaths, urlRedactor } from "../../app/logger.server";
import { expectConsoleErrors } from "../support/strict-console";

/** Every path of the route table, nested routes joined to their parents. */
function paths(entries: RouteConfigEntry[], parent = ""): string[] {
  return entries.flatMap((entry) => {
    const full = `${parent}/${entry.path ?? ""}`.replace(/\/+/g, "/");
    return [full, ...paths(entry.children ?? [], full)];
  });
}

const table = paths(routes);
const redact = urlRedactor(table);

/** A logger writing into an array, as the host's log collector would read it. */
function captured(env = "production") {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });
  // pino writes synchronously to a stream with a `write` method.
  return { logger: createLogger({ env, destination: { write: (line: string) => void destination.write(line) } }), lines };
}

describe("logged URLs", () => {
  it("hide every non-public parameter of every route of the table, in page and .data form", () => {
    let secretRoutes = 0;
    for (const path of table) {
      const names = [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
      if (names.length === 0) continue;
      const secret = names.filter((name) => !PUBLIC_ROUTE_PARAMS.has(name));
      if (secret.length > 0) secretRoutes++;
      const sample = path.replace(/:(\w+)\??/g, (_all, name: string) => `Value${name}Z9q`).replace("*", "rest");
      for (const url of [sample, `${sample}.data`]) {
        const logged = redact(url);
        for (const name of secret) {
          expect(logged, `${path} leaks :${name}`).not.toContain(`Value${name}Z9q`);
          expect(logged).toContain(`:${name}`);
        }
        for (const name of names.filter((n) => PUBLIC_ROUTE_PARAMS.has(n))) expect(logged, path).toContain(`Value${name}Z9q`);
      }
    }
    // The one-click links of today: offer follow-up, hiring check-in, password, share-link key and confirmation.
    expect(secretRoutes).toBeGreaterThanOrEqual(5);
  });

  it("read as the route pattern, and keep no query value", () => {
    expect(redact("/suivi-offre/abcDEF123456")).toBe("/suivi-offre/:token");
    expect(redact("/mot-de-passe/abcDEF123456?retour=%2Fespace")).toBe("/mot-de-passe/:token?retour=[redacted]");
    expect(redact("/partage/K3y/confirmer/T0k.data?cle=s3cret&token=t0k&direct")).toBe("/partage/:key/confirmer/:token.data?cle=[redacted]&token=[redacted]&direct");
    expect(redact("/SUIVI-EMBAUCHE/abc/")).toBe("/suivi-embauche/:token");
    expect(redact("/cv/jeanne-dupont")).toBe("/cv/jeanne-dupont");
    expect(redact("/espace/offres/12/34")).toBe("/espace/offres/12/34");
    expect(redact("/admin/membres?q=jeanne%40exemple.fr")).toBe("/admin/membres?q=[redacted]");
  });

  it("hide a token however the URL is spelled: escaped, doubled slashes, absolute form, extra segments", () => {
    expect(redact("/suivi%2Doffre/abcDEF123456")).toBe("/suivi-offre/:token");
    expect(redact("//suivi-offre//abcDEF123456")).toBe("/suivi-offre/:token");
    expect(redact("http://exemple.test/mot-de-passe/abcDEF123456?x=1")).toBe("/mot-de-passe/:token?x=[redacted]");
    expect(redact("/suivi-embauche/abcDEF123456/encore/plus")).toBe("/suivi-embauche/:token/…");
    expect(redact("/partage/K3y/inconnu")).toBe("/partage/:key/…");
  });

  it("come from a server build's route manifest the same way (nested paths joined)", () => {
    const manifest = {
      root: { path: "" },
      "routes/space": { path: "espace", parentId: "root" },
      "routes/link": { path: "lien/:secret", parentId: "routes/space" },
    };
    expect(routePaths(manifest)).toContain("/espace/lien/:secret");
    expect(urlRedactor(routePaths(manifest))("/espace/lien/xyz")).toBe("/espace/lien/:secret");
  });
});

describe("request ids", () => {
  it("keep a short safe incoming id, replace anything else", () => {
    expect(requestIdFrom("lb-1234abcd")).toBe("lb-1234abcd");
    for (const unsafe of [undefined, "", "short", "<script>alert(1)</script>", "a b c d e f g h", "x".repeat(65), ["a-1234567", "b-1234567"]]) {
      const id = requestIdFrom(unsafe);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("the logger", () => {
  it("writes one JSON object per line, without personal fields nor e-mails in errors", () => {
    const { logger, lines } = captured();
    logger.info({ requestId: "r-12345678", email: "jeanne@exemple.fr", req: { headers: { cookie: "lo_session=abc" } }, body: { password: "x" } }, "request");
    const failed = new Error("Failed query: insert into users values ($1)\nparams: jeanne@exemple.fr,Jeanne Dupont");
    logger.error({ err: new Error("wrapper", { cause: failed }) }, "Request failed");
    logger.error({ err: new Error("duplicate key: jeanne@exemple.fr") }, "Request failed");
    expect(lines).toHaveLength(3);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries[0]).toMatchObject({ level: 30, msg: "request", requestId: "r-12345678", email: "[redacted]" });
    expect(entries[2]).toMatchObject({ level: 50, err: { message: "duplicate key: [e-mail]" } });
    const all = lines.join("\n");
    for (const secret of ["jeanne@exemple.fr", "lo_session=abc", "Jeanne Dupont", '"password":"x"']) expect(all).not.toContain(secret);
  });

  it("takes its level from LOG_LEVEL, and a level it does not know stops the boot with a clear line", () => {
    expect(createLogger({ level: "debug" }).isLevelEnabled("debug")).toBe(true);
    expect(createLogger({}).isLevelEnabled("debug")).toBe(false);
    expect(() => loadConfig({ LOG_LEVEL: "bavard" })).toThrow(/^Configuration invalide : LOG_LEVEL — attendu : trace, debug/);
  });

  it("in tests, hands errors to console.error so that they fail the test, and drops info lines", () => {
    const logger = createLogger({ env: "test" });
    logger.info("a request");
    expect(expectConsoleErrors()).toHaveLength(0);
    logger.error({ err: new Error("boom") }, "Job failed");
    const errors = expectConsoleErrors();
    expect(errors).toHaveLength(1);
    expect(String(errors[0]![0])).toContain("Job failed");
  });
});
