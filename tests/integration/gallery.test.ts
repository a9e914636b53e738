import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { publicCvs } from "../../app/db/schema";
import { startTestApp, type TestApp } from "../support/test-app";

const slugsIn = (html: string) => [...new Set([...html.matchAll(/href="\/cv\/([a-z0-9-]+)"/g)].map((m) => m[1]!))];

/** The gallery: French search, filters in the query string, fair exposure, stable paging. */
describe("the gallery of published CVs", () => {
  let app: TestApp;
  let mine: string[];
  let marker: string;

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    marker = `zorglub${Date.now().toString(36)}`;
    mine = [];
    // 15 CVs sharing a marker word in the story; different places, lines and contracts.
    for (let i = 0; i < 15; i++) {
      const { cv } = await aPublishedCv(app.db, {
        content: {
          story: `Parcours ${marker} numéro ${i}.`,
          goals: [{ businessLine: i % 3 === 0 ? "construction" : "hospitality", job: i % 3 === 0 ? "Maçon" : "Commis de cuisine" }],
          departments: [i % 2 === 0 ? "69" : "13"],
          contracts: [i % 4 === 0 ? "temping" : "cdi"],
        },
      });
      mine.push(cv.slug);
    }
  });
  afterAll(() => app.close());

  const page = async (query: string) => (await fetch(`${app.url}/candidats?${query}`)).text();

  it("filters by business line, department, region and contract, all in the query string", async () => {
    const construction = slugsIn(await page(`q=${marker}&metier=construction&tous=1`));
    expect(construction.length).toBe(5);
    const lyonTemping = slugsIn(await page(`q=${marker}&departement=69&contrat=temping`));
    // i ≡ 0 (mod 4) and even: 0, 4, 8, 12.
    expect(lyonTemping.sort()).toEqual([mine[0], mine[4], mine[8], mine[12]].sort());
    const provence = slugsIn(await page(`q=${marker}&region=pac`));
    expect(provence.length).toBe(7);
  });

  it("shows the least viewed and shared first, and keeps one visitor's order stable while paging", async () => {
    await app.db.update(publicCvs).set({ views: 500, shares: 40 }).where(inArray(publicCvs.slug, mine.slice(0, 10)));
    const first = await page(`q=${marker}&graine=7`);
    const firstSlugs = slugsIn(first);
    expect(firstSlugs.length).toBe(12);
    // The five never seen come first.
    expect(firstSlugs.slice(0, 5).sort()).toEqual(mine.slice(10).sort());
    expect(first).toContain("Voir plus");
    const next = first.match(/href="\/candidats(\?[^"]*page=2[^"]*)"/)![1]!.replace(/&amp;/g, "&");
    const second = slugsIn(await page(next.slice(1)));
    expect(second.length).toBe(3);
    expect(new Set([...firstSlugs, ...second]).size).toBe(15);
    expect(slugsIn(await page(`q=${marker}&graine=7`))).toEqual(firstSlugs);
  });

  it("hides candidates already in work unless asked", async () => {
    await app.db.update(publicCvs).set({ employed: true }).where(eq(publicCvs.slug, mine[14]!));
    expect(slugsIn(await page(`q=${marker}&metier=hospitality&page=1`))).not.toContain(mine[14]);
    expect(slugsIn(await page(`q=${marker}&metier=hospitality&tous=1`))).toContain(mine[14]);
  });

  it("suggests nearby CVs when nothing matches, and survives odd input", async () => {
    const none = await page(`q=${marker}&departement=01`);
    expect(none).toContain("Aucun CV ne correspond à cette recherche.");
    expect(none).toContain("Des CV proches de votre recherche");
    expect(slugsIn(none).some((slug) => mine.includes(slug))).toBe(true);
    for (const odd of ["q=%22%27%3B--", "q=&&&", "metier=astronaute", "departement=999", "page=-1", "graine=abc", `q=${"é".repeat(300)}`, "q=cuisini%C3%A8re%20OR%20ma%C3%A7on"]) {
      expect((await fetch(`${app.url}/candidats?${odd}`)).status, odd).toBe(200);
    }
  });
});
