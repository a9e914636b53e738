import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorFor, aRouteWorld, everyForm, routeTable, type FormTarget, type RouteInfo, type World } from "../support/route-world";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * Property tests over the whole route table: every path parameter, every query string and
 * every form, with control characters, lone surrogates, bytes that are not UTF-8 and broken
 * escapes. Never a 5xx; a refused request writes nothing (no partial write, no orphan row: the
 * content of every table is compared before and after each batch of refusals).
 */
const CASES = 1_000;
/** Requests in flight at once. */
const PARALLEL = 4;

/** Characters and escapes that broke routes: NUL first (PostgreSQL refuses it in text). */
const hostileChar = fc.constantFrom(
  "\u0000", "\u0001", "\u0008", "\t", "\n", "\r", "\u000b", "\u000c", "\u001b", "\u001f", "\u007f", "\u0085", "\u009f",
  "\u2028", "\u202e", "\ufeff", "\ufffd", "\ud800", "\udfff", "é", "𝕳", "<", ">", "'", '"', "\\", "/", "..", "%", "&", "=", "?", "#", "+", " ",
);
const hostileText = fc.array(fc.oneof({ weight: 3, arbitrary: hostileChar }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(""));

/** Raw escapes as an attacker types them: invalid UTF-8, a lone surrogate as bytes, broken ones. */
const rawEscape = fc.constantFrom("%00", "%0A", "%0D%0A", "%09", "%7F", "%C2%85", "%FF", "%C0%AF", "%ED%A0%80", "%E9", "%", "%Z", "%%30", "%2500", "%2F", "%5C", "+");

/** Percent-encodes a text, lone surrogates as the bytes a careless encoder writes (CESU-8). */
function encode(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    out += char.length === 1 && code >= 0xd800 && code <= 0xdfff ? `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 63)).toString(16)}%${(0x80 | (code & 63)).toString(16)}` : encodeURIComponent(char);
  }
  return out;
}
/** Escapes that reached PostgreSQL or a header before: most cases carry at least one. */
const dangerousEscape = fc.constantFrom("%00", "%0A", "%0D", "%09", "%1B", "%7F", "%C2%85", "%ED%A0%80", "%ED%B0%80", "%FF", "%C0%80");
const hostileEncoded = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.oneof(fc.constant(""), hostileText.map(encode)), dangerousEscape, fc.oneof(fc.constant(""), hostileText.map(encode))).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: hostileText.map(encode) },
  { weight: 1, arbitrary: fc.array(fc.oneof(rawEscape, hostileText.map(encode)), { minLength: 1, maxLength: 3 }).map((parts) => parts.join("")) },
);

/** Names a route reads from its query string (`searchParams.get("…")`), and a few it does not. */
const queryNames = (route: RouteInfo) => [...new Set([...route.source.matchAll(/searchParams\.(?:get|has|getAll)\("([^"]+)"\)/g)].map((m) => m[1]!)), "retour", "q", "page", "via"];

describe("every input survives hostile characters", () => {
  let app: TestApp;
  let world: World;
  let tables: string[];
  beforeAll(async () => {
    app = await startTestApp({ smtp: false, env: { TRUST_PROXY: "1" } });
    world = await aRouteWorld(app);
    const rows = await app.db.execute<{ name: string }>(sql`select tablename as name from pg_tables where schemaname = 'public' and tablename not like '%migrations%' order by 1`);
    tables = rows.rows.map((r) => r.name);
  }, 60_000);
  afterAll(() => app.close());

  /**
   * What every table holds. Counters of refusals (rate limits) may move on a refusal; the outbox
   * is compared by its rows, not their sending status (the queue sends earlier messages meanwhile).
   */
  const fingerprint = async () => {
    const parts = tables
      .filter((t) => t !== "rate_limit_counters")
      .map((t) => (t === "outbox" ? sql.raw(`select '${t}' as t, count(*)::text as n, '' as h from "${t}"`) : sql.raw(`select '${t}' as t, count(*)::text as n, md5(coalesce(string_agg(md5(x::text), ',' order by md5(x::text)), '')) as h from "${t}" x`)));
    const rows = await app.db.execute<{ t: string; n: string; h: string }>(sql.join(parts, sql.raw(" union all ")));
    return Object.fromEntries(rows.rows.map((r) => [r.t, `${r.n}:${r.h}`]));
  };

  let n = 0;
  /** Sends one request as the person who may use the route, from its own address. */
  const send = async (request: { path: string; actor: keyof World["clients"]; method?: string; body?: BodyInit; type?: string }) => {
    const client = world.clients[request.actor];
    const i = ++n;
    const response = await fetch(`${app.url}${request.path}`, {
      method: request.method ?? "GET",
      redirect: "manual",
      headers: {
        Cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        "X-Forwarded-For": `10.7.${(i >> 8) & 255}.${i & 255}`,
        ...(request.type ? { "Content-Type": request.type } : {}),
      },
      body: request.body,
    });
    const text = await response.text();
    return { status: response.status, location: response.headers.get("location"), text };
  };

  /**
   * A property over batches of requests sent a few at a time: each answer is under 500, and
   * after a batch whose answers were all refusals, every table is exactly as before it.
   */
  async function holds<T>(arbitrary: fc.Arbitrary<T>, toRequest: (item: T) => Parameters<typeof send>[0] & { label: string }) {
    let before = await fingerprint();
    let sent = 0;
    let refusedBatches = 0;
    const labels = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(arbitrary, { minLength: PARALLEL, maxLength: PARALLEL }), async (items) => {
        const batch = items.map(toRequest);
        const answers = await Promise.all(batch.map(send));
        sent += batch.length;
        for (const [k, answer] of answers.entries()) {
          labels.add(batch[k]!.label);
          expect(answer.status, `${batch[k]!.method ?? "GET"} ${batch[k]!.path}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
          // "Sign out everywhere" ended the person's sessions: sign in again.
          if (answer.location?.startsWith("/connexion?ok=")) await world.signInAgain(batch[k]!.actor);
        }
        const after = await fingerprint();
        if (answers.every((a) => a.status >= 400)) {
          refusedBatches++;
          expect(after, batch.map((b) => `${b.method ?? "GET"} ${b.path}`).join(" | ")).toEqual(before);
        }
        before = after;
      }),
      { numRuns: CASES / PARALLEL, endOnFailure: true },
    );
    return { sent, refusedBatches, labels };
  }

  it("answers every path parameter of every route, filled with hostile characters, without a 5xx or a write", { timeout: 180_000 }, async () => {
    const routes = routeTable().filter((r) => r.params.length > 0);
    const cases = fc.record({ route: fc.constantFrom(...routes), which: fc.nat(), value: hostileEncoded, post: fc.boolean() });
    const result = await holds(cases, ({ route, which, value, post }) => {
      const name = route.params[which % route.params.length]!;
      const path = world.urlFor(route, (param) => (param === name ? value : undefined));
      return { label: route.path, actor: actorFor(route.path), path, ...(post && route.hasAction ? { method: "POST", body: new URLSearchParams({ csrf: world.clients.anonymous.cookies.get("lo_csrf") ?? "" }), type: "application/x-www-form-urlencoded" } : {}) };
    });
    expect(result.sent).toBeGreaterThanOrEqual(CASES);
    expect([...result.labels].sort()).toEqual(routes.map((r) => r.path).sort());
    expect(result.refusedBatches).toBeGreaterThan(0);
  });

  it("answers every route with a hostile query string without a 5xx or a write", { timeout: 180_000 }, async () => {
    const routes = routeTable();
    const cases = fc.record({ route: fc.constantFrom(...routes), which: fc.nat(), name: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: hostileEncoded }), value: hostileEncoded, extra: fc.boolean() });
    const result = await holds(cases, ({ route, which, name, value, extra }) => {
      const names = queryNames(route);
      const key = name ?? names[which % names.length]!;
      const path = `${world.urlFor(route)}?${extra ? "page=2&" : ""}${key}=${value}`;
      return { label: route.path, actor: actorFor(route.path), path };
    });
    expect(result.sent).toBeGreaterThanOrEqual(CASES);
    expect([...result.labels].sort()).toEqual([...new Set(routes.map((r) => r.path))].sort());
  });

  it("answers every form with hostile characters in its fields without a 5xx, and a refused post writes nothing", { timeout: 240_000 }, async () => {
    const targets: FormTarget[] = await everyForm(world);
    const cases = fc.record({
      target: fc.constantFrom(...targets),
      variant: fc.nat(),
      spoiled: fc.array(fc.tuple(fc.nat(), hostileText), { minLength: 1, maxLength: 3 }),
      strangeName: fc.option(hostileText, { freq: 4 }),
      encoding: fc.constantFrom("multipart", "urlencoded", "raw"),
      raw: rawEscape,
    });
    const result = await holds(cases, ({ target, variant, spoiled, strangeName, encoding, raw }) => {
      const fields: [string, string][] = [["csrf", world.clients[target.actor].cookies.get("lo_csrf") ?? ""], ...(target.variants[variant % target.variants.length] ?? [])];
      const own = target.fields.filter((f) => f.kind !== "file");
      const values = new Map(own.map((f) => [f.name, f.value]));
      for (const [which, text] of spoiled) if (own.length) values.set(own[which % own.length]!.name, text);
      fields.push(...values);
      if (strangeName !== null) fields.push([strangeName, "x"]);
      const label = target.route.path;
      if (encoding === "multipart") {
        const form = new FormData();
        for (const [name, value] of fields) form.append(name, value);
        return { label, actor: target.actor, path: target.url, method: "POST", body: form };
      }
      // "raw": one field's value is bytes as typed by hand (invalid UTF-8, a lone surrogate, a broken escape).
      const body = fields.map(([name, value], k) => `${encode(name)}=${encoding === "raw" && k === fields.length - 1 ? raw : encode(value)}`).join("&");
      return { label, actor: target.actor, path: target.url, method: "POST", body, type: "application/x-www-form-urlencoded" };
    });
    expect(result.sent).toBeGreaterThanOrEqual(CASES);
    expect([...result.labels].sort()).toEqual([...new Set(targets.map((t) => t.route.path))].sort());
    expect(result.refusedBatches).toBeGreaterThan(10);
  });
});
