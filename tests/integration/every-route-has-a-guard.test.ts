import { afterAll, beforeAll, describe, expect, it } from "vitest";
import routes from "../../app/routes";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * A project-wide rule: every route is either in this list of public pages, or refuses anonymous
 * visitors. A new page that forgets its guard fails here.
 */
const PUBLIC = new Set(["", "connexion", "deconnexion", "langue", "mot-de-passe-oublie", "mot-de-passe/:token", "healthz", "*", "candidats", "employeurs", "cv/:slug", "cv/:slug/photo/:photo", "cv/:slug/vu.gif", "partager/:slug/:network", "impact.json", "cv/:slug/apercu.png", "cv/:slug/cv.pdf", "cv/:slug/mon-lien", "s/:code", "partage/:key", "partage/:key/confirmer/:token", "promo/:slug", "partager-promo/:slug/:network", "offres/nouvelle", "offres/envoyee", "suivi-embauche/:token", "suivi-offre/:token", "partage/:key/arreter", "promo/:slug/mon-lien"]);

type RouteEntry = { path?: string; index?: boolean; children?: RouteEntry[] };
const paths = (entries: RouteEntry[], prefix = ""): string[] =>
  entries.flatMap((r) => {
    const path = r.index ? prefix : [prefix, r.path].filter(Boolean).join("/");
    return [path, ...paths(r.children ?? [], path)];
  });

describe("every route has a guard", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  it("sends anonymous visitors of every private route to the sign-in page, and still serves the public ones", async () => {
    const all = [...new Set(paths(routes as RouteEntry[]))];
    expect(all.length).toBeGreaterThan(10);
    const client = new HttpClient(app.url);
    for (const path of all) {
      const url = `/${path.replace(/:(\w+)/g, "00000000-0000-4000-8000-000000000000")}`.replace("/*", "/introuvable");
      const response = await client.get(url);
      if (PUBLIC.has(path)) {
        expect(response.status, url).toBeLessThan(500);
      } else {
        expect(response.status, url).toBe(302);
        expect(response.headers.get("location"), url).toMatch(/^\/connexion\?retour=/);
      }
    }
  });
});
