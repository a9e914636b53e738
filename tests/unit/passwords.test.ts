import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "../../app/domain/accounts/passwords";

describe("passwords", () => {
  it("are hashed with argon2id and verified", async () => {
    const hash = await hashPassword("une phrase facile à retenir");
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, "une phrase facile à retenir")).toBe(true);
    expect(await verifyPassword(hash, "une autre phrase")).toBe(false);
    expect(await verifyPassword("pas un hash", "x")).toBe(false);
  });

  it("need at least 10 characters and must not be a common password", () => {
    expect(passwordProblem("court")).toBe("password.tooShort");
    expect(passwordProblem("1234567890")).toBe("password.common");
    expect(passwordProblem("Password123")).toBe("password.common");
    expect(passwordProblem("azertyuiop")).toBe("password.common");
    expect(passwordProblem("x".repeat(201))).toBe("password.tooLong");
    expect(passwordProblem("le chat dort au soleil")).toBeNull();
  });
});
