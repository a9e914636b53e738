import http from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../../app/config.server";
import type { Database } from "../../app/db/client.server";
import { boot, type Runtime } from "../../server/boot";
import { PUBLIC_CV_CHANGED } from "../../app/domain/cv/projection";
import { answerClientErrors, createRequestListener, loadProductionBuild } from "../../server/http";
import { openTestDatabase } from "./databases";
import { startSmtpCapture } from "./smtp";

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/**
 * The real product on a free port: production build, real HTTP, real database of the engine
 * under test, real job queue and workers, and (optionally) a real SMTP listener.
 */
export async function startTestApp(options: { smtp?: boolean; env?: Record<string, string>; database?: Database; workers?: boolean; listen?: boolean } = {}) {
  // An open database may be handed in (a restart on the same data); it is closed with the app.
  const database: Database = options.database ?? (await openTestDatabase());
  const smtp = options.smtp === false ? null : await startSmtpCapture();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({
    NODE_ENV: "test",
    PUBLIC_URL: url,
    SESSION_SECRET: "test-secret-test-secret-test-secret-42",
    SEED_DEMO: "0",
    ...(smtp ? { SMTP_URL: smtp.url } : {}),
    ...options.env,
  });
  const runtime: Runtime = await boot(config, { database, workers: false });
  const { startWorkers } = await import("../../app/jobs/queue.server");
  // `workers: false`: jobs wait in the queue, for a test to look at what a request left there.
  if (options.workers !== false) await startWorkers(runtime.boss, runtime.services, { pollingIntervalSeconds: 0.5 });
  const handler = createRequestListener({ services: runtime.services, build: await loadProductionBuild() });
  // `listen: false`: a web process that never hears another's NOTIFY (its caches only age out).
  if (options.listen !== false) await runtime.database.listen(PUBLIC_CV_CHANGED, (slug) => handler.cache.evict(slug), { onReconnect: handler.onDatabaseReconnect });
  server.on("request", handler.listener);
  answerClientErrors(server, config.secureCookies);
  return {
    url,
    db: runtime.services.db,
    database,
    services: runtime.services,
    pageCache: handler.cache,
    smtp: smtp!,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.stop();
      await smtp?.close();
    },
  };
}
