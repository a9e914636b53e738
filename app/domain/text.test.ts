import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitsInBytes, hasControlCharacter, hasMarkup, limitedText } from "./text";

describe("text rules", () => {
  it("finds markup exactly where the old pattern did, in one pass", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("<", ">", "a", " ", "/") , maxLength: 30 }), (value) => {
        expect(hasMarkup(value)).toBe(/<[^>]*>/.test(value));
      }),
    );
  });

  it("measures UTF-8 bytes without building them", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), fc.nat(200), (value, max) => {
        expect(fitsInBytes(value, max)).toBe(Buffer.byteLength(value) <= max);
      }),
    );
  });

  it("tells control characters, with line breaks allowed or not", () => {
    expect(hasControlCharacter("a\u0000b")).toBe(true);
    expect(hasControlCharacter("a\u0085b")).toBe(true);
    expect(hasControlCharacter("a\tb\r\nc")).toBe(false);
    expect(hasControlCharacter("a\nb", { lineBreaks: false })).toBe(true);
    expect(hasControlCharacter("é𝕳\u2028")).toBe(false);
  });

  it("checks the size first and runs nothing chained after a text that is too long", () => {
    let ran = 0;
    const schema = limitedText(10, "form.tooLong").refine(() => ++ran > 0, "never");
    expect(schema.safeParse("<".repeat(1_000_000)).error?.issues.map((i) => i.message)).toEqual(["form.tooLong"]);
    expect(schema.safeParse(`  ${"x".repeat(11)}  `).error?.issues.map((i) => i.message)).toEqual(["form.tooLong"]);
    expect(ran).toBe(0);
    expect(schema.parse("  court  ")).toBe("court");
    expect(limitedText(10, "long", { oneLine: "line" }).safeParse("Ana\n").error?.issues.map((i) => i.message)).toEqual(["line"]);
  });

  it("stays linear on the worst input", () => {
    const started = performance.now();
    const value = "<".repeat(500_000) + "a".repeat(500_000);
    hasMarkup(value);
    limitedText(120, "long").refine((v) => !hasMarkup(v)).safeParse(value);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
