import { describe, expect, it } from "vitest";
import { en } from "../../app/i18n/en";
import { fr } from "../../app/i18n/fr";
import { translator } from "../../app/i18n";

const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();

describe("the i18n catalogue", () => {
  it("has every French label in English too, with the same placeholders", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      expect(en[key].trim(), key).not.toBe("");
      expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translator("fr")("space.hello", { name: "Nadia" })).toBe("Bonjour Nadia");
    expect(translator("en")("space.hello")).toBe("Hello {name}");
  });

  it("writes real plurals, in French (0 and 1 are singular) and in English", () => {
    const fr = translator("fr");
    const en = translator("en");
    expect(fr("moderation.count", { count: 0 })).toBe("0 offre");
    expect(fr("moderation.count", { count: 1 })).toBe("1 offre");
    expect(fr("moderation.count", { count: 2 })).toBe("2 offres");
    expect(en("moderation.count", { count: 0 })).toBe("0 offers");
    expect(en("moderation.count", { count: 1 })).toBe("1 offer");
  });
});
