import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { startTestApp, type TestApp } from "../support/test-app";

const english = { Cookie: `lo_lang=${Buffer.from(JSON.stringify("en")).toString("base64")}` };
const titlesOf = (html: string) => [...html.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!);

/** The tab's name is the first thing a screen reader says: it follows the chosen language like the rest of the page. */
describe("every public page names itself in the visitor's language", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    await aPublishedCv(app.db);
  });
  afterAll(() => app.close());

  it("has one title, in English when English is chosen", async () => {
    for (const path of ["/", "/candidats", "/candidats?q=introuvable", "/employeurs", "/offres/nouvelle", "/connexion", "/mot-de-passe-oublie", "/page-inconnue"]) {
      const fr = titlesOf(await (await fetch(`${app.url}${path}`)).text());
      const en = titlesOf(await (await fetch(`${app.url}${path}`, { headers: english })).text());
      expect(fr, path).toHaveLength(1);
      expect(en, path).toHaveLength(1);
      expect(en[0], path).not.toBe(fr[0]);
    }
    expect(titlesOf(await (await fetch(`${app.url}/candidats`, { headers: english })).text())).toEqual(["The candidates — LinkedOut"]);
  });
});
