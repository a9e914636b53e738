import { z } from "zod";
import { LOG_LEVELS } from "./logger.server";

/**
 * Every setting comes from the environment and is validated once, at boot.
 * The defaults run the embedded mode (PGlite in ./data, outbox instead of SMTP).
 */
const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"], {
    error: "attendu : 1 ou 0 (true/false)",
  })
  .transform((value) => ["1", "true", "yes", "on"].includes(value));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "attendu : une adresse postgres://utilisateur@hôte:port/base" })
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  PORT: z.coerce
    .number({ error: "attendu : un numéro de port" })
    .int("attendu : un nombre entier")
    .min(0, "attendu : entre 0 et 65535")
    .max(65535, "attendu : entre 0 et 65535")
    .default(3000),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: "attendu : une adresse http(s)://…" }).optional(),
  SESSION_SECRET: z.string().min(32, "au moins 32 caractères").optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "attendu : une adresse smtp://… ou smtps://…" }).optional(),
  MAIL_FROM: z.string().min(3).default("LinkedOut <bonjour@linkedout.localhost>"),
  SEED_DEMO: booleanFlag.optional(),
  WORKERS: z.enum(["inline", "off"], { error: "attendu : inline ou off" }).default("inline"),
  TRUST_PROXY: booleanFlag.default(false),
  // Read by app/logger.server.ts (created before the configuration): checked here for its message.
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `attendu : ${LOG_LEVELS.join(", ")}` }).optional(),
});

export type Config = {
  env: "development" | "production" | "test";
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  publicUrl: string;
  sessionSecret: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  seedDemo: boolean;
  workers: "inline" | "off";
  trustProxy: boolean;
  secureCookies: boolean;
};

export class ConfigError extends Error {}

/** Reads the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings are treated as absent, as most shells and .env files mean them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "configuration");
    throw new ConfigError(`Configuration invalide : ${name} — ${issue.message} (valeur reçue : ${JSON.stringify(env[name] ?? "")})`);
  }
  const value = parsed.data;
  if (value.DATABASE_URL && !value.SESSION_SECRET && value.NODE_ENV === "production") {
    throw new ConfigError("Configuration invalide : SESSION_SECRET — obligatoire avec un serveur PostgreSQL (DATABASE_URL), au moins 32 caractères");
  }
  const publicUrl = (value.PUBLIC_URL ?? `http://localhost:${value.PORT}`).replace(/\/$/, "");
  return {
    env: value.NODE_ENV,
    databaseUrl: value.DATABASE_URL,
    dataDir: value.DATA_DIR,
    port: value.PORT,
    publicUrl,
    sessionSecret: value.SESSION_SECRET,
    smtpUrl: value.SMTP_URL,
    mailFrom: value.MAIL_FROM,
    // Demo data is on by default only in embedded mode.
    seedDemo: value.SEED_DEMO ?? !value.DATABASE_URL,
    workers: value.WORKERS,
    trustProxy: value.TRUST_PROXY,
    secureCookies: publicUrl.startsWith("https://"),
  };
}
