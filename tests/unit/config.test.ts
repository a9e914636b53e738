import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../app/config.server";

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
};

describe("configuration read at boot", () => {
  it("runs embedded with demo data when nothing is set", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ databaseUrl: undefined, dataDir: "./data", port: 3000, seedDemo: true, publicUrl: "http://localhost:3000", secureCookies: false });
  });

  it("does not seed demo data on a server unless asked", () => {
    const url = "postgres://postgres@127.0.0.1:5432/test";
    expect(loadConfig({ DATABASE_URL: url, SESSION_SECRET: "s".repeat(32) }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: url, SESSION_SECRET: "s".repeat(32), SEED_DEMO: "1" }).seedDemo).toBe(true);
  });

  it("names the variable in one line when a value is wrong", () => {
    for (const [env, name] of [
      [{ PORT: "quatre-vingt" }, "PORT"],
      [{ PORT: "70000" }, "PORT"],
      [{ DATABASE_URL: "mysql://localhost/x" }, "DATABASE_URL"],
      [{ PUBLIC_URL: "linkedout.fr" }, "PUBLIC_URL"],
      [{ SMTP_URL: "http://mail" }, "SMTP_URL"],
      [{ SEED_DEMO: "peut-être" }, "SEED_DEMO"],
      [{ SESSION_SECRET: "court" }, "SESSION_SECRET"],
      [{ WORKERS: "many" }, "WORKERS"],
    ] as const) {
      const message = fails(env);
      expect(message).toContain(name);
      expect(message.split("\n")).toHaveLength(1);
    }
  });

  it("requires a session secret with a PostgreSQL server in production", () => {
    expect(fails({ DATABASE_URL: "postgres://db/linkedout" })).toContain("SESSION_SECRET");
  });

  it("uses Secure cookies when the public address is https", () => {
    expect(loadConfig({ PUBLIC_URL: "https://linkedout.example/" })).toMatchObject({ secureCookies: true, publicUrl: "https://linkedout.example" });
  });
});
