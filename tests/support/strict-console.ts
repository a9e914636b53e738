import { afterEach, beforeEach, vi } from "vitest";

/** An unexpected console.error fails the test: errors must not pass unnoticed. */
let errors: unknown[][] = [];
const original = console.error;

beforeEach(() => {
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args);
    original(...args);
  });
});

afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (errors.length > 0) {
    const first = errors[0]!.map((a) => (a instanceof Error ? a.stack : String(a))).join(" ");
    errors = [];
    throw new Error(`console.error was called during the test: ${first}`);
  }
});

/** For the rare test whose point is that an error is logged. */
export function expectConsoleErrors(): unknown[][] {
  const seen = errors;
  errors = [];
  return seen;
}
