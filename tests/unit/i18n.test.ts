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

  it("puts every counted word through the plural rules, in both languages", () => {
    // A number placeholder directly followed by a word ("{days} jours", "{count} CV(s)") reads
    // "1 jours" one day: the word must come from a `{n, plural, …}` block. Invariable words pass.
    const NUMBER = /\{(count|n|days|months|total|employed|views|shares)\} (\p{L}+)/gu;
    const invariable = new Set(["mois", "CV", "new", "de", "of"]);
    const offenders: string[] = [];
    for (const [language, catalogue] of [["fr", fr], ["en", en]] as const) {
      for (const [key, text] of Object.entries(catalogue)) {
        for (const match of text.matchAll(NUMBER)) if (!invariable.has(match[2]!)) offenders.push(`${language} ${key}: ${match[0]}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(translator("fr")("home.shares", { count: 1 })).toBe("partage lancé");
    expect(translator("fr")("home.shares", { count: 3 })).toBe("partages lancés");
    expect(translator("en")("checkIns.monthsValue", { months: 1 })).toBe("1 month");
    expect(translator("en")("email.reminderUnanswered.subject", { days: 1 })).toBe("An offer has been waiting for you for 1 day");
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
