import { describe, expect, it } from "vitest";
import { readConflictResolution } from "./editor-form";

const form = (pairs: [string, string][]) => {
  const data = new FormData();
  for (const [name, value] of pairs) data.append(name, value);
  return data;
};

describe("reading how a conflict was settled", () => {
  it("is nothing for an ordinary save", () => {
    expect(readConflictResolution(form([["story", "Une histoire"]]))).toBeUndefined();
  });

  it("reads the first base, the fields to settle and the choices made, ignoring anything else", () => {
    const resolution = readConflictResolution(
      form([
        ["conflictBase", "4"],
        ["conflicts", "story"],
        ["conflicts", "skills"],
        ["conflicts", "story"],
        ["conflicts", "__proto__"],
        ["choice.story", "theirs"],
        ["choice.skills", "les deux"],
        ["choice.catchphrase", "mine"],
      ]),
    );
    expect(resolution).toEqual({ conflictBase: 4, pending: ["story", "skills"], choices: { story: "theirs" } });
  });
});
