import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aStaffMember, aZone } from "../../app/db/factories";
import { shareText } from "../../app/domain/sharing/share-text";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/** Staff change the pre-filled share text without a deploy; it keeps the {prénom} placeholder. */
describe("staff edit the share text", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false });
  });
  afterAll(() => app.close());

  it("offers the default text, refuses one without {prénom}, and saves a good one", async () => {
    const staff = new HttpClient(app.url);
    const member = await aStaffMember(app.db, { zoneId: (await aZone(app.db)).id });
    await staff.signIn(member.email, member.password!);
    expect(await shareText(app.db, "Lina", "fr")).toContain("Aidez Lina à retrouver un emploi");
    const form = await (await staff.get("/admin/textes")).text();
    expect(form).toContain("Aidez {prénom} à retrouver un emploi");

    const refused = await staff.post("/admin/textes", { value: "Partagez ce CV, merci à tous !" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Le texte doit contenir {prénom}");
    expect(await shareText(app.db, "Lina", "fr")).toContain("Aidez Lina à retrouver un emploi");

    const saved = await staff.post("/admin/textes", { value: "Un emploi pour {prénom} ? Partagez son CV !" });
    expect(saved.status).toBe(302);
    expect(await shareText(app.db, "Lina", "fr")).toBe("Un emploi pour Lina ? Partagez son CV !");
    // English keeps the catalogue's text.
    expect(await shareText(app.db, "Lina", "en")).not.toContain("Partagez");
  });
});
