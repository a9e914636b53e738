import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { publicCvs } from "../../app/db/schema";
import { closeBrowser, expectNoAxeViolations, newPage } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

/** A phone's browser (headless Chromium names itself, and robots never count as visitors). */
const phone = (who: string) => `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36 ${who}`;

describe("without JavaScript, a share thanks the visitor, leads on to the network and offers another CV", () => {
  let app: TestApp;
  let cv: Awaited<ReturnType<typeof aPublishedCv>>;
  let other: Awaited<ReturnType<typeof aPublishedCv>>;

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    cv = await aPublishedCv(app.db, { candidate: { firstName: "Inès" } });
    // The only other published CV, so the least shared one the thank-you offers.
    other = await aPublishedCv(app.db, { candidate: { firstName: "Malik" } });
  });

  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  const counters = async () => {
    const [row] = await app.db.select({ views: publicCvs.views, shares: publicCvs.shares }).from(publicCvs).where(eq(publicCvs.cvId, cv.cv.id));
    return row!;
  };

  it("opens a thank-you tab counted once, whose big link goes to LinkedIn with the CV's address", async () => {
    const cvUrl = `${app.url}/cv/${cv.cv.slug}`;
    const page = await newPage({ javaScriptEnabled: false, userAgent: phone("no-js visitor") });
    const context = page.context();
    // The networks are out of reach offline: their share pages answer a plain "ok".
    await context.route((url) => url.protocol === "https:", (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "ok" }));
    const networkAddresses: string[] = [];
    context.on("request", (request) => {
      if (request.url().startsWith("https://")) networkAddresses.push(request.url());
    });
    const pixel = page.waitForResponse((response) => response.url().includes("/vu.gif"));
    await page.goto(cvUrl);
    await pixel;
    expect(await counters()).toEqual({ views: 1, shares: 0 });

    const section = page.getByRole("region", { name: "Partager ce CV" });
    const link = section.getByRole("link", { name: "Partager sur LinkedIn (nouvel onglet)" });
    expect(await link.getAttribute("href")).toBe(`/partager/${cv.cv.slug}/linkedin`);
    const opened = context.waitForEvent("page");
    await link.click();
    const tab = await opened;
    await tab.getByRole("heading", { level: 1, name: "Merci !" }).waitFor();
    await tab.getByText("Votre partage ouvre un réseau à Inès.").waitFor();
    expect(await tab.title()).toBe("Merci pour votre partage – LinkedOut");
    expect(await counters()).toEqual({ views: 1, shares: 1 });

    // Reloading the thank-you page is the same share: counted once.
    await tab.reload();
    await tab.getByRole("heading", { level: 1, name: "Merci !" }).waitFor();
    expect(await counters()).toEqual({ views: 1, shares: 1 });

    // The invitation to share another CV, one of the least shared.
    const another = tab.getByRole("link", { name: "Partagez aussi le CV de Malik" });
    expect(await another.getAttribute("href")).toBe(`/cv/${other.cv.slug}`);

    // By keyboard, the first stop is the big link to the network; Enter follows it.
    await tab.keyboard.press("Tab");
    expect(await tab.evaluate(() => document.activeElement?.textContent)).toBe("Continuer vers LinkedIn");
    await tab.keyboard.press("Enter");
    await tab.waitForURL((url) => url.hostname === "www.linkedin.com");
    expect(decodeURIComponent(networkAddresses.at(-1)!)).toBe(`https://www.linkedin.com/sharing/share-offsite/?url=${cvUrl}`);
    expect(await counters()).toEqual({ views: 1, shares: 1 });

    // Back on the thank-you page, the other CV is one tap away.
    await tab.goBack();
    await tab.getByRole("link", { name: "Partagez aussi le CV de Malik" }).click();
    await tab.waitForURL(`${app.url}/cv/${other.cv.slug}`);
    await context.close();
  });

  it("is accessible, and counts another visitor's share", async () => {
    const before = await counters();
    // axe runs as a script in the page: this visitor's browser runs JavaScript (the page has none).
    const page = await newPage({ userAgent: phone("another visitor") });
    await page.goto(`${app.url}/partager/${cv.cv.slug}/whatsapp`);
    await page.getByRole("link", { name: "Continuer vers WhatsApp" }).waitFor();
    await expectNoAxeViolations(page);
    expect(await counters()).toEqual({ views: before.views, shares: before.shares + 1 });
    await page.context().close();
  });
});
