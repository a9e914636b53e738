import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aPublishedCv, aStaffMember } from "../../app/db/factories";
import routes from "../../app/routes";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

type RouteEntry = { path?: string; index?: boolean; children?: RouteEntry[] };
const paths = (entries: RouteEntry[], prefix = ""): string[] =>
  entries.flatMap((r) => {
    const path = r.index ? prefix : [prefix, r.path].filter(Boolean).join("/");
    return [path, ...paths(r.children ?? [], path)];
  });

const PRIVATE = "private, no-store";

/**
 * A project-wide rule, over the whole route table: no answer meant for one person may be kept by
 * a shared cache (a proxy, a CDN, a shelter's caching gateway). Every answer to a signed-in
 * person, every `.data` answer, and every page an anonymous visitor is turned away from says
 * `Cache-Control: private, no-store`. A new route cannot forget it.
 */
describe("private answers are never stored by a shared cache", () => {
  let app: TestApp;
  let urls: string[];
  const people: Record<"staff" | "coach" | "candidate" | "anonymous", HttpClient> = {} as never;

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    const { cv, candidate } = await aPublishedCv(app.db);
    const pair = await aCandidateWithCoach(app.db);
    const staff = await aStaffMember(app.db, { zoneId: null });
    for (const [who, email, password] of [
      ["staff", staff.email, staff.password],
      ["coach", pair.coach.email, pair.coach.password],
      ["candidate", pair.candidate.email, pair.candidate.password],
    ] as const) {
      people[who] = new HttpClient(app.url);
      await people[who].signIn(email, password!);
    }
    people.anonymous = new HttpClient(app.url);
    // Real ids where a route takes one (so pages answer 200, not only 404), a made-up one elsewhere.
    const value = (name: string) => ({ slug: cv.slug, candidateId: pair.candidate.id, id: candidate.id })[name] ?? "00000000-0000-4000-8000-000000000000";
    urls = [...new Set(paths(routes as RouteEntry[]))].map((path) => `/${path.replace(/:(\w+)/g, (_, name: string) => value(name))}`.replace("/*", "/introuvable"));
    expect(urls.length).toBeGreaterThan(40);
  });
  afterAll(() => app.close());

  it("marks every page, file and redirect answered to a signed-in person private, no-store", async () => {
    for (const who of ["staff", "coach", "candidate"] as const) {
      for (const url of urls) {
        const response = await people[who].get(url);
        await response.arrayBuffer();
        expect(response.status, `${who} ${url}`).toBeLessThan(500);
        expect(response.headers.get("cache-control"), `${who} ${url} (${response.status})`).toBe(PRIVATE);
      }
    }
  });

  it("marks every .data answer private, no-store, signed in or not", async () => {
    for (const who of ["staff", "candidate", "anonymous"] as const) {
      for (const url of urls) {
        const data = url === "/" ? "/_root.data" : `${url}.data`;
        const response = await people[who].get(data);
        await response.arrayBuffer();
        expect(response.status, `${who} ${data}`).toBeLessThan(500);
        expect(response.headers.get("cache-control"), `${who} ${data} (${response.status})`).toBe(PRIVATE);
      }
    }
  });

  it("marks the sign-in redirects of private routes, and anonymous pages that say nothing, private, no-store", async () => {
    for (const url of urls) {
      // A first visit each time: no cookie yet, so the answer would set one.
      const response = await fetch(`${app.url}${url}`, { redirect: "manual" });
      await response.arrayBuffer();
      const cacheControl = response.headers.get("cache-control");
      if (response.status === 302 && response.headers.get("location")?.startsWith("/connexion?retour=")) expect(cacheControl, url).toBe(PRIVATE);
      // Only public content may say "public" (a CV page, its photo, its PDF, the impact figures).
      else if (cacheControl?.includes("public")) {
        expect(url, cacheControl).toMatch(/^\/(cv\/|impact\.json)/);
        // …and hands out no cookie, which a shared cache would hand to everyone.
        expect(response.headers.getSetCookie(), url).toEqual([]);
      }
      else expect(cacheControl, `${url} (${response.status})`).toMatch(/no-store/);
    }
  });

  it("still lets browsers keep the site's own files, for people signed in too", async () => {
    const html = await (await people.staff.get("/admin")).text();
    const asset = /(\/assets\/[^"]+\.js)/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const response = await people.staff.get(asset!);
    expect(response.headers.get("cache-control")).toContain("immutable");
  });
});
