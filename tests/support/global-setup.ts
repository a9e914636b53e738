import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildPgliteTemplate, buildServerTemplate } from "./databases";

/** Once per run: migrated templates for both engines, and a production build to serve. */
export default async function setup() {
  if (!fs.existsSync(path.resolve("build/server/index.js"))) {
    execFileSync("npx", ["react-router", "build"], { stdio: "inherit" });
  }
  await buildPgliteTemplate();
  if (process.env.TEST_DATABASE_URL) await buildServerTemplate();
}
