import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./session.server";

describe("safeRedirectPath", () => {
  it("keeps a path of this site as it is", () => {
    for (const path of ["/", "/espace", "/candidats?q=caf%C3%A9&page=2#haut", "/admin/membres/00000000-0000-4000-8000-000000000000?ok=pair", "/%2F%2Fevil"]) expect(safeRedirectPath(path, "/x")).toBe(path);
  });

  it("falls back for anything that could leave the site or break the answer", () => {
    const hostile = ["//evil.example", "/\\evil.example", "/a\\b", "https://evil.example", "javascript:alert(1)", "/\t/evil.example", "/\n", "/%0A", "/%09/evil", "/é", "/a b", "/%E9", "/%", "", "evil", "/".repeat(3000), null, 42, ["/"]];
    for (const value of hostile) expect(safeRedirectPath(value, "/x"), JSON.stringify(value)).toBe("/x");
  });
});
