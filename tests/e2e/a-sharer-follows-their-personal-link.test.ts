import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { cohortMembers, cohorts } from "../../app/db/schema";
import { closeBrowser, expectNoAxeViolations, newPage } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

/** A phone's browser (headless Chromium names itself, and robots never count as visitors). */
const phone = (who: string) => `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36 ${who}`;

/** The networks are out of reach offline: their share pages answer a plain "ok". Returns the addresses asked. */
async function offline(context: BrowserContext) {
  const asked: string[] = [];
  await context.route(
    (url) => url.protocol === "https:",
    (route) => {
      asked.push(decodeURIComponent(route.request().url()));
      return route.fulfill({ status: 200, contentType: "text/plain", body: "ok" });
    },
  );
  return asked;
}

/** Clicks "get my link" on the page and reads the link to share and the private page's address. */
async function getMyLink(page: Page) {
  await page.getByRole("button", { name: "Obtenir mon lien de partage" }).click();
  await page.waitForURL((url) => url.pathname.endsWith("/mon-lien"));
  const link = (await page.locator("a.share-link-code").textContent())!;
  const report = (await page.getByRole("link", { name: /\/partage\// }).textContent())!;
  expect(link).toMatch(/\/s\/[a-z2-9]{8}$/);
  expect(report).toMatch(/\/partage\/[A-Za-z0-9_-]{43}$/);
  await expectNoAxeViolations(page);
  return { link, code: link.slice(-8), report };
}

/**
 * Clicks a network's share button. It opens a new tab; here it is followed in the same tab,
 * because Chromium does not always hand a new tab's first redirect to the interception above,
 * and nothing may leave the machine.
 */
async function shareOn(page: Page, network: string) {
  const button = page.getByRole("region", { name: "Partager ce CV" }).getByRole("link", { name: `Partager sur ${network} (nouvel onglet)` });
  expect(await button.getAttribute("target")).toBe("_blank");
  await button.evaluate((link) => link.removeAttribute("target"));
  await button.click();
  await page.waitForURL((url) => url.protocol === "https:");
}

/** Opens a CV page (by a link click or an address) and waits until its view pixel was answered. */
async function andItsPixel(page: Page, open: () => Promise<unknown>) {
  const pixel = page.waitForResponse((response) => response.url().includes("/vu.gif"));
  await open();
  return pixel;
}

/** The sharer's private page, reloaded until it shows what is expected (the pixel is async). */
async function expectReport(page: Page, texts: string[]) {
  const deadline = Date.now() + 5000;
  for (;;) {
    await page.reload();
    const body = (await page.locator("main").textContent()) ?? "";
    if (texts.every((text) => body.includes(text)) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const text of texts) await page.getByText(text).first().waitFor();
}

describe("a sharer follows their personal link", () => {
  let app: TestApp;
  let cv: Awaited<ReturnType<typeof aPublishedCv>>;

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    cv = await aPublishedCv(app.db, { candidate: { firstName: "Nadia" } });
  });

  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  it("creates a link to a CV; a second visitor arrives through it and shares again; the sharer's page shows both", async () => {
    const sharer = await newPage({ userAgent: phone("sharer") });
    await andItsPixel(sharer, () => sharer.goto(`${app.url}/cv/${cv.cv.slug}`));
    const { link, code, report } = await getMyLink(sharer);
    expect(link).toBe(`${app.url}/s/${code}`);

    const visitor = await newPage({ userAgent: phone("second visitor") });
    const networks = await offline(visitor.context());
    await andItsPixel(visitor, () => visitor.goto(link));
    expect(visitor.url()).toBe(`${app.url}/cv/${cv.cv.slug}?via=${code}`);
    await shareOn(visitor, "WhatsApp");
    await expect.poll(() => networks.length).toBe(1);
    expect(networks[0]).toContain(`${app.url}/cv/${cv.cv.slug}`);

    await sharer.goto(report);
    await expectReport(sharer, ["1 vue du CV arrivée par votre lien", "1 nouveau partage par les personnes arrivées par votre lien", "Nadia cherche toujours un emploi"]);
    await expectNoAxeViolations(sharer);
    await visitor.context().close();
    await sharer.context().close();
  });

  it("creates a link to a cohort page; a visitor opens a CV from it and shares it; the sharer's page shows the cohort and both", async () => {
    const name = `Promo Nantes ${Date.now()}`;
    const [cohort] = await app.db.insert(cohorts).values({ slug: `promo-nantes-${Date.now()}`, name }).returning();
    await app.db.insert(cohortMembers).values({ cohortId: cohort!.id, cvId: cv.cv.id });

    const sharer = await newPage({ userAgent: phone("cohort sharer") });
    await sharer.goto(`${app.url}/promo/${cohort!.slug}`);
    const { link, code, report } = await getMyLink(sharer);

    const visitor = await newPage({ userAgent: phone("cohort visitor") });
    const networks = await offline(visitor.context());
    await visitor.goto(link);
    expect(visitor.url()).toBe(`${app.url}/promo/${cohort!.slug}?via=${code}`);
    await expectNoAxeViolations(visitor);
    await andItsPixel(visitor, () => visitor.locator(".cv-card .cv-card-name a").first().click());
    expect(visitor.url()).toBe(`${app.url}/cv/${cv.cv.slug}?via=${code}`);
    await shareOn(visitor, "LinkedIn");
    await expect.poll(() => networks.length).toBe(1);
    expect(networks[0]).toContain(`${app.url}/cv/${cv.cv.slug}`);

    await sharer.goto(report);
    await expectReport(sharer, ["1 vue des CV de la promo arrivée par votre lien", "1 nouveau partage par les personnes arrivées par votre lien", "0 personne sur 1 de cette promo a retrouvé un emploi."]);
    expect(await sharer.getByRole("link", { name }).getAttribute("href")).toBe(`/promo/${cohort!.slug}`);
    await expectNoAxeViolations(sharer);
    await visitor.context().close();
    await sharer.context().close();
  });
});
