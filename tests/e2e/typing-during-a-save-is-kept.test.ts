import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCandidateWithCoach, aZone } from "../../app/db/factories";
import { closeBrowser, newPage, signIn } from "../support/browser";
import { storedCv } from "../support/stored-cv";
import { startTestApp, type TestApp } from "../support/test-app";

const SAVED = "Enregistré automatiquement.";

/** On a slow network a save takes a while: what is typed meanwhile is saved next, never dropped. */
describe("typing during a save is kept", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(async () => {
    await closeBrowser();
    await app.close();
  });

  const stored = async (candidateId: string) => (await storedCv(app.db, candidateId))?.content ?? null;


  it("saves what was typed while the previous save was held, and says it is saved only once it is", async () => {
    const zoneId = (await aZone(app.db)).id;
    const { candidate, coach } = await aCandidateWithCoach(app.db, { zoneId });
    const page = await newPage();
    await signIn(page, app.url, coach.email, coach.password!);
    await page.goto(`${app.url}/espace/cv/${candidate.id}`);

    // The first autosave is held 2.5 s on its way to the server, like on a slow phone network.
    let saves = 0;
    let firstSaveSent!: () => void;
    const firstSave = new Promise<void>((resolve) => (firstSaveSent = resolve));
    await page.route(
      (url) => url.pathname.endsWith(".data"),
      async (route) => {
        if (route.request().method() === "POST" && ++saves === 1) {
          firstSaveSent();
          await new Promise((resolve) => setTimeout(resolve, 2500));
        }
        await route.continue();
      },
    );
    // Whenever the status changes or someone types, note what the status says, what is on screen
    // and what the last save answered carried (the page's own fetch, seen from inside).
    await page.evaluate(() => {
      type Fields = { catchphrase: string; story: string };
      const status = document.querySelector(".sticky-actions [role=status]")!;
      const form = status.closest("form")!;
      let answered: Fields | null = null;
      const fetch = window.fetch;
      window.fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (init?.body instanceof FormData && init.body.get("intent") === "autosave" && response.ok)
          answered = { catchphrase: String(init.body.get("catchphrase")), story: String(init.body.get("story")) };
        return response;
      };
      const seen: { status: string; screen: Fields; answered: Fields | null }[] = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      const note = () =>
        seen.push({
          status: status.textContent ?? "",
          screen: {
            catchphrase: (form.elements.namedItem("catchphrase") as HTMLInputElement).value,
            story: (form.elements.namedItem("story") as HTMLTextAreaElement).value,
          },
          answered,
        });
      new MutationObserver(note).observe(status, { childList: true, characterData: true, subtree: true });
      // After React has drawn what the keystroke changed.
      form.addEventListener("input", () => setTimeout(note, 0));
    });

    const catchphrase = page.getByRole("textbox", { name: "Phrase d'accroche" });
    await catchphrase.fill("Premier jet");
    await firstSave;
    // While the first save is held: more of the same field, and another field.
    await catchphrase.press("End");
    await catchphrase.pressSequentially(" puis la suite");
    await page.getByRole("textbox", { name: "Mon histoire" }).fill("Écrite pendant l'enregistrement.");

    const everything = { catchphrase: "Premier jet puis la suite", story: "Écrite pendant l'enregistrement." };
    await expect.poll(() => stored(candidate.id), { timeout: 15_000 }).toMatchObject(everything);
    await page.getByRole("status").filter({ hasText: SAVED }).waitFor();
    expect(saves).toBeGreaterThanOrEqual(2);

    // "Enregistré" only ever appeared over what the last answered save had stored: never while
    // the text typed during the held save was on screen and not yet sent.
    type Moment = { status: string; screen: typeof everything; answered: typeof everything | null };
    const seen = await page.evaluate(() => (window as unknown as { seen: Moment[] }).seen);
    const claimedSaved = seen.filter((moment) => moment.status === SAVED);
    expect(claimedSaved.length).toBeGreaterThan(0);
    for (const moment of claimedSaved) expect(moment.screen).toEqual(moment.answered);
    expect(claimedSaved.at(-1)!.screen).toEqual(everything);

    // Reloaded, the editor shows everything that was typed.
    await page.reload();
    expect(await catchphrase.inputValue()).toBe(everything.catchphrase);
    expect(await page.getByRole("textbox", { name: "Mon histoire" }).inputValue()).toBe(everything.story);
  });
});
