import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable";

describe("isDatabaseUnavailable", () => {
  it("recognises a database that is restarting, gone or not yet back, however the error is wrapped", () => {
    const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });
    for (const error of [
      pgError("57P01", "terminating connection due to administrator command"),
      pgError("57P02"),
      pgError("57P03", "the database system is starting up"),
      pgError("08006"),
      pgError("08001"),
      pgError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:55432"),
      pgError("ECONNRESET"),
      new Error("Connection terminated unexpectedly"),
      new Error("Connection terminated"),
      new Error("timeout exceeded when trying to connect"),
      new Error("Failed query: select 1", { cause: pgError("57P01") }),
      new AggregateError([pgError("ECONNREFUSED")], "connect failed"),
    ]) {
      expect(isDatabaseUnavailable(error), String((error as Error).message)).toBe(true);
    }
  });

  it("leaves every other error alone: a bug stays a 500", () => {
    for (const error of [
      Object.assign(new Error("duplicate key"), { code: "23505" }),
      Object.assign(new Error("syntax error"), { code: "42601" }),
      new Error("Cannot read properties of undefined"),
      new Error("Failed query", { cause: Object.assign(new Error("x"), { code: "22P02" }) }),
      null,
      "Connection terminated",
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });
});
