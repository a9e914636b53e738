import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [reactRouter()],
  resolve: { tsconfigPaths: true },
  build: { target: "es2022" },
  ssr: {
    // Server-only packages stay external: they are loaded from node_modules at run time.
    external: ["@electric-sql/pglite", "pg", "pg-boss", "@node-rs/argon2", "nodemailer"],
  },
});
