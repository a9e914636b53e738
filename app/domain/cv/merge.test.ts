import { describe, expect, it } from "vitest";
import { emptyCvContent, type CvContent } from "./content";
import { applyChoices, mergeCv, sameValue } from "./merge";

/** The CV both people opened: revision N. */
function base(): CvContent {
  return {
    ...emptyCvContent(),
    catchphrase: "Cuisinière patiente",
    story: "Quinze ans en cantine.",
    skills: ["Hygiène HACCP", "Ponctualité"],
    experiences: [{ kind: "experience", title: "Cuisinière", organisation: "Cantine", place: "Lyon", start: "2010-01", end: "", description: "" }],
    contracts: ["cdi"],
    departments: ["69"],
    availability: "Tout de suite",
  };
}

describe("merging two saves of one CV", () => {
  it("takes the fields only the other person changed, and keeps the fields only you changed", () => {
    const theirs = { ...base(), story: "Quinze ans en cantine, puis la rue." };
    const mine = { ...base(), catchphrase: "Cuisinière joyeuse" };
    const merge = mergeCv(base(), theirs, mine);
    expect(merge.merged.story).toBe("Quinze ans en cantine, puis la rue.");
    expect(merge.merged.catchphrase).toBe("Cuisinière joyeuse");
    expect(merge.taken).toEqual(["story"]);
    expect(merge.kept).toEqual(["catchphrase"]);
    expect(merge.both).toEqual([]);
  });

  it("asks when both changed one field differently, and holds yours until you choose", () => {
    const theirs = { ...base(), story: "Version du bénévole." };
    const mine = { ...base(), story: "Version de la candidate." };
    const merge = mergeCv(base(), theirs, mine);
    expect(merge.both).toEqual(["story"]);
    expect(merge.merged.story).toBe("Version de la candidate.");
    expect(applyChoices(merge, theirs, { story: "theirs" }).story).toBe("Version du bénévole.");
    expect(applyChoices(merge, theirs, { story: "mine" }).story).toBe("Version de la candidate.");
    expect(applyChoices(merge, theirs, {}).story).toBe("Version de la candidate.");
  });

  it("is no conflict when both made the same change", () => {
    const theirs = { ...base(), availability: "En septembre" };
    const mine = { ...base(), availability: "En septembre" };
    const merge = mergeCv(base(), theirs, mine);
    expect(merge).toMatchObject({ taken: [], kept: [], both: [] });
    expect(merge.merged.availability).toBe("En septembre");
  });

  it("treats a list as one field: an item changed on each side is a choice", () => {
    const theirs = { ...base(), skills: ["Hygiène HACCP", "Ponctualité", "Travail en équipe"] };
    const mine = { ...base(), skills: ["Hygiène", "Ponctualité"] };
    expect(mergeCv(base(), theirs, mine).both).toEqual(["skills"]);
    const onlyMine = { ...base(), experiences: [{ ...base().experiences[0]!, description: "300 repas par jour." }] };
    const merge = mergeCv(base(), theirs, onlyMine);
    expect(merge.merged.skills).toEqual(theirs.skills);
    expect(merge.merged.experiences[0]!.description).toBe("300 repas par jour.");
    expect(merge.both).toEqual([]);
  });

  it("merges contracts and departments choice by choice, in the list's order", () => {
    const theirs = { ...base(), departments: ["69", "75"], contracts: [] };
    const mine = { ...base(), departments: ["13", "69"], contracts: ["cdi", "cdd"] };
    const merge = mergeCv(base(), theirs as CvContent, mine as CvContent);
    expect(merge.merged.departments).toEqual(["13", "69", "75"]);
    // They unticked CDI, you ticked CDD: both are kept.
    expect(merge.merged.contracts).toEqual(["cdd"]);
    expect(merge.both).toEqual([]);
    expect(merge.taken).toEqual(["contracts", "departments"]);
  });

  it("asks for every differing field when the starting version is unknown", () => {
    const theirs = { ...base(), story: "Autre" };
    const mine = { ...base(), catchphrase: "Autre accroche" };
    const merge = mergeCv(null, theirs, mine);
    expect(merge.both).toEqual(["catchphrase", "story"]);
    expect(merge.taken).toEqual([]);
  });

  it("compares stored content whatever its key order", () => {
    const stored = JSON.parse(JSON.stringify({ ...base().experiences[0]! }));
    const reordered = Object.fromEntries(Object.entries(stored).reverse());
    expect(sameValue(stored, reordered)).toBe(true);
    expect(sameValue(["a", "b"], ["b", "a"])).toBe(false);
    const theirs = { ...base(), experiences: [reordered] } as CvContent;
    expect(mergeCv(base(), theirs, base()).taken).toEqual([]);
  });
});
