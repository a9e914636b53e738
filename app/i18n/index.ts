import type { Locale } from "~/db/schema";
import { en } from "./en";
import { fr, type MessageKey } from "./fr";

export type { MessageKey };
export const catalogues: Record<Locale, Record<MessageKey, string>> = { fr, en };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** `{count, plural, one {# vue} other {# vues}}`: the form Intl.PluralRules picks, `#` the number. */
const PLURAL = /\{(\w+), plural, one \{([^{}]*)\} other \{([^{}]*)\}\}/g;

export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale];
  const plurals = new Intl.PluralRules(locale === "fr" ? "fr-FR" : "en-GB");
  return (key, vars) => {
    const template = catalogue[key];
    if (!vars) return template;
    return template
      .replace(PLURAL, (match, name: string, one: string, other: string) => {
        if (!(name in vars)) return match;
        const value = Number(vars[name]);
        return (plurals.select(value) === "one" ? one : other).replace(/#/g, String(vars[name]));
      })
      .replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
  };
}

export function isLocale(value: unknown): value is Locale {
  return value === "fr" || value === "en";
}

export function formatDate(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: "Europe/Paris" }).format(date);
}

export function formatDateTime(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "short",
    timeStyle: "short",
    timeZone: "Europe/Paris",
  }).format(date);
}
