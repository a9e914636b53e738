import { defineConfig } from "vitest/config";

const integration = (name: string, env: Record<string, string>) => ({
  extends: true as const,
  test: { name, include: ["tests/integration/**/*.test.ts"], env },
});

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/strict-console.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["app/**/*.test.ts", "tests/unit/**/*.test.ts"] } },
      integration("integration (PGlite)", { TEST_ENGINE: "pglite" }),
      // The same integration tests on a PostgreSQL server, when one is given.
      ...(process.env.TEST_DATABASE_URL ? [integration("integration (PostgreSQL)", { TEST_ENGINE: "pg" })] : []),
      // Whole journeys in a real browser: each test is a story of many pages.
      { extends: true, test: { name: "browser", include: ["tests/e2e/**/*.test.ts"], env: { TEST_ENGINE: "pglite" }, testTimeout: 120_000 } },
    ],
  },
});
