import http, { type Server } from "node:http";
import { PUBLIC_CV_CHANGED } from "../app/domain/cv/projection";
import { ConfigError, loadConfig } from "../app/config.server";
import { DataDirLockedError } from "../app/db/client.server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../app/db/seed.server";
import { boot, keepRunningThroughDatabaseOutages } from "./boot";
import { answerClientErrors, createHttpApp, createRequestListener, loadProductionBuild } from "./http";
import { logger } from "../app/logger.server";

/** `npm start`: one process serving the site, with the job workers inside unless WORKERS=off. */
async function main() {
  keepRunningThroughDatabaseOutages();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  // A stop asked for while the database opens is honoured as soon as it is open.
  let stopRequested = false;
  const early = () => (stopRequested = true);
  process.once("SIGINT", early);
  process.once("SIGTERM", early);
  let runtime;
  try {
    runtime = await boot(config);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }

  process.off("SIGINT", early);
  process.off("SIGTERM", early);
  if (stopRequested) {
    await runtime.stop();
    process.exit(0);
  }

  let listener;
  if (config.env === "development") {
    const vite = await import("vite");
    const devServer = await vite.createServer({ server: { middlewareMode: true } });
    listener = createHttpApp({
      services: runtime.services,
      mode: "development",
      build: () => devServer.ssrLoadModule("virtual:react-router/server-build") as never,
      beforeRoutes: (express) => express.use(devServer.middlewares),
    });
  } else {
    const handler = createRequestListener({ services: runtime.services, build: await loadProductionBuild() });
    // Other web processes announce CV changes through PostgreSQL: drop our cached copy too.
    await runtime.database.listen(PUBLIC_CV_CHANGED, (slug) => handler.cache.evict(slug), { onReconnect: handler.onDatabaseReconnect });
    listener = handler.listener;
  }

  const server: Server = http.createServer(listener).listen(config.port, () => {
    const mode = runtime.database.kind === "pglite" ? `base embarquée (${config.dataDir})` : "serveur PostgreSQL";
    logger.info(`LinkedOut est prêt : ${config.publicUrl}  — ${mode}, e-mails ${config.smtpUrl ? "envoyés par SMTP" : "gardés dans la boîte d'envoi"}`);
    if (config.seedDemo) {
      // Fictional accounts of the embedded demo, printed on purpose: not personal data.
      const accounts = DEMO_ACCOUNTS.map((account) => `  ${account.role.padEnd(10)} ${account.email}`).join("\n");
      logger.info(`Comptes de démonstration (mot de passe « ${DEMO_PASSWORD} ») :\n${accounts}`);
    }
  });
  answerClientErrors(server, config.secureCookies);
  server.on("error", async (error: NodeJS.ErrnoException) => {
    logger.fatal(error.code === "EADDRINUSE" ? `Le port ${config.port} est déjà utilisé (changez PORT).` : error.message);
    await runtime.stop().catch(() => undefined);
    process.exit(1);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} reçu : arrêt propre…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close();
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
    await runtime.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
