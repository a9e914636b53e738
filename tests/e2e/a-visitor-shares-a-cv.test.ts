import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { publicCvs, shareEvents } from "../../app/db/schema";
import { closeBrowser, expectNoAxeViolations, newPage, signIn } from "../support/browser";
import { startTestApp, type TestApp } from "../support/test-app";

/** A phone's browser (headless Chromium names itself, and robots never count as visitors). */
const phone = (who: string) => `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36 ${who}`;
const NETWORKS = { linkedin: "LinkedIn", facebook: "Facebook", whatsapp: "WhatsApp", x: "X", email: "E-mail" } as const;

/** Opens the page and waits until its view pixel has been answered. */
async function openCv(page: Page, url: string, how: "goto" | "reload" = "goto") {
  const pixel = page.waitForResponse((response) => response.url().includes("/vu.gif"));
  if (how === "goto") await page.goto(url);
  else await page.reload();
  await pixel;
}

async function eventually<T>(read: () => Promise<T>, expected: T) {
  const deadline = Date.now() + 5000;
  let value = await read();
  while (JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  expect(value).toEqual(expected);
}

describe("a visitor shares a CV on each network and copies its link; the counters move by exactly that", () => {
  let app: TestApp;
  let cv: Awaited<ReturnType<typeof aPublishedCv>>;
  let other: Awaited<ReturnType<typeof aPublishedCv>>;

  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
    cv = await aPublishedCv(app.db, { candidate: { firstName: "Nadia" } });
    // Another published CV, for the thank-you's invitation to share one more.
    other = await aPublishedCv(app.db, { candidate: { firstName: "Rémi" } });
  });

  afterAll(async () => {
    await closeBrowser();
    await app?.close();
  });

  const counters = async () => {
    const [row] = await app.db.select({ views: publicCvs.views, shares: publicCvs.shares }).from(publicCvs).where(eq(publicCvs.cvId, cv.cv.id));
    return row!;
  };
  const sharesByNetwork = async () => {
    const rows = await app.db.select({ network: shareEvents.network }).from(shareEvents).where(eq(shareEvents.cvId, cv.cv.id));
    return rows.map((row) => row.network).sort();
  };

  it("shares, copies, thanks, and counts one view and one share per network", async () => {
    const cvUrl = `${app.url}/cv/${cv.cv.slug}`;
    const page = await newPage({ permissions: ["clipboard-read", "clipboard-write"], userAgent: phone("visitor") });
    const context = page.context();
    // The networks are out of reach offline: their share pages answer a plain "ok".
    await context.route((url) => url.protocol === "https:", (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "ok" }));
    const networkAddresses: string[] = [];
    context.on("request", (request) => {
      if (request.url().startsWith("https://")) networkAddresses.push(request.url());
    });
    await openCv(page, cvUrl);
    await eventually(counters, { views: 1, shares: 0 });

    const section = page.getByRole("region", { name: "Partager ce CV" });
    // Once JavaScript runs (the copy button shows it), the links go straight to the network: the
    // thank-you shows in this page (without JavaScript, a thank-you page does it: its own test).
    await section.getByRole("button", { name: "Copier le lien" }).waitFor();
    for (const [network, label] of Object.entries(NETWORKS)) {
      const link = section.getByRole("link", { name: `Partager sur ${label} (nouvel onglet)` });
      expect(await link.getAttribute("href"), network).toBe(`/partager/${cv.cv.slug}/${network}?direct=1`);
      expect(await link.getAttribute("target"), network).toBe("_blank");
    }

    // Each network opens in a new tab, on its share page, with the CV's address.
    for (const network of ["linkedin", "facebook", "whatsapp", "x"] as const) {
      const opened = context.waitForEvent("page");
      await section.getByRole("link", { name: `Partager sur ${NETWORKS[network]} (nouvel onglet)` }).click();
      const tab = await opened;
      await eventually(async () => networkAddresses.length > 0, true);
      const address = decodeURIComponent(networkAddresses.pop()!);
      expect(address, network).toContain(cvUrl);
      if (network !== "linkedin" && network !== "facebook") expect(address, network).toContain("Aidez Nadia à retrouver un emploi");
      await tab.close();
    }
    // The e-mail link ends in the visitor's mail program, which a headless browser does not have:
    // follow the same redirect as this visitor (same browser, same cookies) and read where it goes.
    const email = await context.request.get(`${app.url}/partager/${cv.cv.slug}/email?direct=1`, { maxRedirects: 0 });
    expect(email.status()).toBe(302);
    const mailto = decodeURIComponent(email.headers()["location"]!);
    expect(mailto.startsWith("mailto:?subject=")).toBe(true);
    expect(mailto).toContain(cvUrl);

    // With JavaScript: copy the link, see it confirmed and the thank-you with another CV to share.
    await section.getByRole("button", { name: "Copier le lien" }).click();
    const status = section.getByRole("status");
    await status.filter({ hasText: "Lien copié !" }).waitFor();
    await status.filter({ hasText: "Merci ! Votre partage ouvre un réseau à Nadia." }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(cvUrl);
    // The only other published CV here, so the least shared one.
    const another = status.getByRole("link", { name: "Partagez aussi le CV de Rémi" });
    expect(await another.getAttribute("href")).toBe(`/cv/${other.cv.slug}`);
    await expectNoAxeViolations(page);

    await eventually(sharesByNetwork, ["copy", "email", "facebook", "linkedin", "whatsapp", "x"]);
    expect(await counters()).toEqual({ views: 1, shares: 6 });

    // Reloading the page is the same visitor: no second view.
    await openCv(page, cvUrl, "reload");
    // A link-preview crawler fetching the pixel is not a visitor.
    await fetch(`${cvUrl}/vu.gif`, { headers: { "User-Agent": "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)" } });
    expect(await counters()).toEqual({ views: 1, shares: 6 });
    await context.close();
  });

  it("does not count the candidate's own visit", async () => {
    const before = await counters();
    // Another browser than the visitor's, so that only being the candidate keeps it from counting.
    const page = await newPage({ userAgent: phone("candidate") });
    await signIn(page, app.url, cv.candidate.email, cv.candidate.password!);
    await openCv(page, `${app.url}/cv/${cv.cv.slug}`);
    expect(await counters()).toEqual(before);
    await page.context().close();
  });
});
