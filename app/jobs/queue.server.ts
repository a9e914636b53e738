import PgBoss from "pg-boss";
import type { Database } from "~/db/client.server";
import { isDatabaseUnavailable } from "~/db/unavailable";
import type { JobOptions, JobQueue, Services } from "~/services.server";
import { handlers, schedules } from "./handlers.server";
import { logger } from "~/logger.server";

/** Retries with exponential backoff (pg-boss: retryDelay * 2^n). */
const QUEUE_DEFAULTS = { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 } as const;

export type Boss = PgBoss;

/**
 * pg-boss runs on our own pool through its `executeSql` hook, so the same code drives the
 * embedded database (one PGlite connection) and a PostgreSQL server.
 */
export async function startQueue(database: Database): Promise<{ boss: PgBoss; queue: JobQueue }> {
  const state = { stopped: false };
  const boss = new PgBoss({
    db: {
      // Once the queue is stopped (and the database about to close), a write pg-boss still makes
      // — the end of a job whose handler returned late, which pg-boss does not await — is dropped
      // instead of failing on a closed pool: the job stays active, expires and runs again, and
      // every handler is safe to run twice (outbox claims, send-once keys).
      executeSql: (text: string, values?: unknown[]) =>
        state.stopped ? Promise.resolve(droppedWrite(text)) : database.pool.query(text, values as unknown[]),
    },
    schema: "pgboss",
    // Maintenance every few minutes is plenty; archiving stays on the defaults.
    maintenanceIntervalSeconds: 120,
  } as unknown as PgBoss.ConstructorOptions);
  // While the database restarts, pg-boss's polls fail and it tries again by itself: a warning.
  boss.on("error", (error: Error) => (isDatabaseUnavailable(error) ? logger.warn({ err: error }, "Job queue error") : logger.error({ err: error }, "Job queue error")));
  queueStates.set(boss, state);
  await boss.start();
  for (const name of Object.keys(handlers)) {
    // "stately": at most one queued and one active job per singleton key. Processes starting at
    // the same moment on a new database can deadlock here: PostgreSQL cancels one, which tries again.
    for (let attempt = 1; ; attempt++) {
      try {
        await boss.createQueue(name, { name, policy: "stately", ...QUEUE_DEFAULTS });
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "40P01" || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
      }
    }
  }
  const queue: JobQueue = {
    async send(name: string, data: object, options: JobOptions = {}) {
      await boss.send(name, data, {
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options.startAfter ? { startAfter: options.startAfter instanceof Date ? options.startAfter : new Date(options.startAfter) } : {}),
      });
    },
  };
  return { boss, queue };
}

/** What a dropped statement answers: nothing done ("count" for pg-boss's complete and fail commands, which read it). */
function droppedWrite(text: string) {
  return /select count\(\*\)/i.test(text) ? { rows: [{ count: "0" }], rowCount: 1 } : { rows: [], rowCount: 0 };
}

/** Whether a queue was stopped: its late writes are dropped (see startQueue). */
const queueStates = new WeakMap<PgBoss, { stopped: boolean }>();

/** Handlers running now, per queue: stopping waits for them before the database closes. */
const running = new WeakMap<PgBoss, Set<Promise<unknown>>>();

/** Registers every handler and schedule on this process. */
export async function startWorkers(boss: PgBoss, services: Services, options: { pollingIntervalSeconds?: number } = {}) {
  const inFlight = running.get(boss) ?? new Set<Promise<unknown>>();
  running.set(boss, inFlight);
  for (const [name, handler] of Object.entries(handlers)) {
    await boss.work(name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize: 1 }, async (jobs) => {
      const work = (async () => {
        for (const job of jobs) await handler(services, job.data as never);
      })();
      inFlight.add(work);
      try {
        await work;
      } finally {
        inFlight.delete(work);
      }
    });
  }
  for (const [name, cron] of Object.entries(schedules)) await boss.schedule(name, cron, {}, { tz: "Europe/Paris" });
}

/**
 * Stops taking jobs and lets the running ones finish (5 s of grace, then up to 20 s more for a
 * handler still at work, e.g. an e-mail recording that it was sent): pg-boss writes a job's end
 * after its handler returns, and a database closed under it would lose that write.
 */
export async function stopQueue(boss: PgBoss): Promise<void> {
  await boss.stop({ graceful: true, wait: true, timeout: 5000 });
  const inFlight = running.get(boss);
  if (inFlight?.size) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, 20_000)))]);
    clearTimeout(timer);
  }
  // The job's completion is written right after its handler returns: give it its turn.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const state = queueStates.get(boss);
  if (state) state.stopped = true;
}
