import { describe, expect, it } from "vitest";
import { addMonths, parisDay } from "./calendar";
import { dueCheckIn } from "./check-ins";

describe("the check-in calendar", () => {
  it("counts months as a person does, ending on the last day of a shorter month", () => {
    expect(addMonths("2026-01-15", 1)).toBe("2026-02-15");
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-08-31", 6)).toBe("2027-02-28");
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonths("2026-11-30", 3)).toBe("2027-02-28");
  });

  it("reads the day in France, not in UTC", () => {
    expect(parisDay(new Date("2026-06-30T22:30:00Z"))).toBe("2026-07-01");
    expect(parisDay(new Date("2026-12-31T22:59:00Z"))).toBe("2026-12-31");
  });

  it("makes a check-in due from its date until the next one, and never after the contract's end", () => {
    const hire = { startDate: "2026-01-31", endDate: null };
    expect(dueCheckIn(hire, "2026-02-27")).toBeNull();
    expect(dueCheckIn(hire, "2026-02-28")).toBe(1);
    expect(dueCheckIn(hire, "2026-04-29")).toBe(1);
    expect(dueCheckIn(hire, "2026-04-30")).toBe(3);
    expect(dueCheckIn(hire, "2026-07-31")).toBe(6);
    expect(dueCheckIn(hire, "2026-09-30")).toBeNull();
    const shortContract = { startDate: "2026-01-31", endDate: "2026-03-15" };
    expect(dueCheckIn(shortContract, "2026-02-28")).toBe(1);
    expect(dueCheckIn(shortContract, "2026-04-30")).toBeNull();
  });
});
