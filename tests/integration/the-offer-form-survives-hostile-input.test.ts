import { countDistinct } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPublishedCv } from "../../app/db/factories";
import { offers } from "../../app/db/schema";
import { signFormStamp } from "../../app/domain/offers/submission-spam";
import { HttpClient } from "../support/http-client";
import { startTestApp, type TestApp } from "../support/test-app";

/** What a refusal must say, in French, somewhere in the page. */
const FRENCH_EXPLANATIONS = ["Le formulaire contient des erreurs", "Le formulaire a expiré", "trop lourd", "Trop d&#x27;offres"];

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\u0000\u0001\u001f",
    "'; drop table offers; --",
    "𝕳𝖊𝖑𝖑𝖔 👩🏽‍🍳",
    "\u202eevil",
    "%00%ZZ%E9",
    "{{7*7}} ${7*7}",
    "  ",
    "0",
    "-1",
    "1e308",
    "NaN",
    "null",
    "[object Object]",
  ),
  fc.integer({ min: 4_000, max: 9_000 }).map((n) => "é".repeat(n)),
);

/** A field as a hostile client sends it: the right value, a wrong one, missing, or repeated. */
const field = (valid: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 5, arbitrary: valid },
    { weight: 2, arbitrary: hostileText },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.array(fc.oneof(valid, hostileText), { minLength: 2, maxLength: 3 }) },
  );

type Submission = { fields: Record<string, string | string[] | undefined>; encoding: "urlencoded" | "multipart" | "broken" | "json"; csrf: boolean };

function submissions(slug: string, stamp: string): fc.Arbitrary<Submission> {
  const fields = fc.record({
    stamp: field(fc.constant(stamp)),
    audience: field(fc.constantFrom("public", "candidates")),
    candidates: field(fc.constantFrom(slug, "personne-inconnue", "UPPER", "../../etc/passwd")),
    company: field(fc.constant("Boulangerie des Lilas")),
    recruiterName: field(fc.constant("Sophie Garnier")),
    recruiterPosition: field(fc.constant("Gérante")),
    email: field(fc.constantFrom("sophie@boulangerie.test", "SOPHIE@Boulangerie.TEST", "pas-une-adresse", "a@b")),
    phone: field(fc.constantFrom("06 12 34 56 78", "+44 20 7946 0958", "0033612345678", "12", "+33 6", "appelez-moi")),
    jobTitle: field(fc.constant("Vendeur·se")),
    businessLine: field(fc.constantFrom("retail", "hospitality", "astrology")),
    contractType: field(fc.constantFrom("cdi", "cdd_short", "slavery")),
    description: field(fc.constant("Accueil des clients et vente.")),
    prerequisites: field(fc.constant("")),
    startDate: field(fc.constantFrom("", "2027-01-04", "2026-02-30", "9999-12-31", "01/02/2027", "2027-1-4")),
    endDate: field(fc.constantFrom("", "2027-06-30", "1999-01-01", "2027-13-01")),
    partTime: field(fc.constantFrom("on", "")),
    hours: field(fc.constant("9 h – 17 h")),
    salary: field(fc.constant("SMIC")),
    drivingLicence: field(fc.constantFrom("on", "", "yes")),
    positions: field(fc.constantFrom("1", "3", "50", "51", "0", "-2", "2.5", "999999999999")),
    "department-0": field(fc.constantFrom("69", "2A", "971", "99", "")),
    "address-0": field(fc.constant("3 place Bellecour, Lyon")),
    "department-1": field(fc.constantFrom("75", "", "20")),
    "address-1": field(fc.constantFrom("", "12 rue des Lilas")),
    message: field(fc.constant("")),
    website: fc.oneof({ weight: 6, arbitrary: fc.constant("") }, { weight: 1, arbitrary: hostileText }),
    intent: fc.oneof({ weight: 8, arbitrary: fc.constant("send") }, { weight: 1, arbitrary: hostileText }),
    via: field(fc.constantFrom("", "abcdefgh", "ZZZ")),
  });
  const unknown = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), hostileText, { maxKeys: 3 });
  return fc.record({
    fields: fc.tuple(fields, unknown).map(([known, extra]) => ({ ...extra, ...known }) as Submission["fields"]),
    encoding: fc.constantFrom("urlencoded", "urlencoded", "multipart", "broken", "json"),
    csrf: fc.constantFrom(true, true, true, true, false),
  });
}

/** A person's valid form with at most two fields spoiled: the edge between accepted and refused. */
function nearlyValid(slug: string, stamp: string): fc.Arbitrary<Submission> {
  const base: Submission["fields"] = {
    stamp,
    audience: "candidates",
    candidates: slug,
    company: "Boulangerie des Lilas",
    recruiterName: "Sophie Garnier",
    email: "sophie@boulangerie.test",
    phone: "06 12 34 56 78",
    jobTitle: "Vendeur·se",
    businessLine: "retail",
    contractType: "cdi",
    description: "Accueil des clients et vente.",
    positions: "1",
    "department-0": "69",
    "address-0": "3 place Bellecour, Lyon",
    intent: "send",
  };
  const spoil = fc.tuple(fc.constantFrom(...Object.keys(base), "startDate", "endDate", "department-1", "address-1", "message", "website"), fc.oneof(hostileText, fc.constant(undefined), fc.array(hostileText, { minLength: 2, maxLength: 2 })));
  return fc.record({
    fields: fc.array(spoil, { maxLength: 2 }).map((changes) => ({ ...base, ...Object.fromEntries(changes) })),
    encoding: fc.constantFrom("urlencoded", "multipart"),
    csrf: fc.constant(true),
  });
}

function entries(fields: Submission["fields"]): [string, string][] {
  return Object.entries(fields).flatMap(([name, value]) => (value === undefined ? [] : Array.isArray(value) ? value.map((v) => [name, v] as [string, string]) : [[name, value] as [string, string]]));
}

function body(submission: Submission, csrf: string): { body: BodyInit; contentType?: string } {
  const pairs = entries(submission.fields);
  if (submission.csrf) pairs.push(["csrf", csrf]);
  switch (submission.encoding) {
    case "multipart": {
      const form = new FormData();
      for (const [name, value] of pairs) form.append(name, value);
      return { body: form };
    }
    case "json":
      return { body: JSON.stringify(Object.fromEntries(pairs)), contentType: "application/json" };
    case "broken":
      // Half-escaped bytes and invalid UTF-8 in the middle of a urlencoded body.
      return { body: `${new URLSearchParams(pairs).toString()}&company=%C3%28%ZZ%E9&%FF%FE=%`, contentType: "application/x-www-form-urlencoded" };
    default:
      return { body: new URLSearchParams(pairs), contentType: "application/x-www-form-urlencoded" };
  }
}

describe("the offer form survives hostile input", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ smtp: false, env: { TRUST_PROXY: "1" } });
  });
  afterAll(() => app.close());

  it("answers 1,000 malformed or hostile submissions without a 500, storing nothing for an invalid one and explaining every refusal in French", { timeout: 240_000 }, async () => {
    const { cv } = await aPublishedCv(app.db);
    const secret = (app.services as unknown as { sessionSecret: string }).sessionSecret;
    const stamp = signFormStamp(secret, Date.now() - 60_000);
    const client = new HttpClient(app.url);
    const csrf = await client.csrf();
    const groups = async () => (await app.db.select({ n: countDistinct(offers.groupId) }).from(offers))[0]!.n;
    let sent = 0;
    let accepted = 0;

    const BATCH = 20;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(submissions(cv.slug, stamp), nearlyValid(cv.slug, stamp)), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const before = await groups();
        const answers = await Promise.all(
          batch.map(async (submission) => {
            // Each from its own address: the flood limit is not what is under test here.
            const n = ++sent;
            const { body: payload, contentType } = body(submission, csrf);
            const response = await fetch(`${app.url}/offres/nouvelle`, {
              method: "POST",
              redirect: "manual",
              headers: { Cookie: `lo_csrf=${csrf}`, "X-Forwarded-For": `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, ...(contentType ? { "Content-Type": contentType } : {}) },
              body: payload,
            });
            return { submission, status: response.status, location: response.headers.get("location"), html: await response.text() };
          }),
        );
        let created = 0;
        for (const answer of answers) {
          expect(answer.status, JSON.stringify(answer.submission).slice(0, 500)).toBeLessThan(500);
          if (answer.status === 302) {
            expect(answer.location).toBe("/offres/envoyee");
            created++;
          } else {
            // A search or "add a place" redraws the form (200); anything else is a refusal, explained.
            if (answer.status !== 200) expect(FRENCH_EXPLANATIONS.some((text) => answer.html.includes(text)), answer.html.slice(0, 300)).toBe(true);
            expect(answer.html).toContain('lang="fr"');
          }
        }
        accepted += created;
        // One group per accepted submission, and nothing at all for the others.
        expect(await groups()).toBe(before + created);
      }),
      { numRuns: 50, endOnFailure: true },
    );
    expect(sent).toBe(1000);
    // The generator is not so hostile that nothing valid ever gets through.
    expect(accepted).toBeGreaterThan(50);
  });
});
