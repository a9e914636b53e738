import { sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";

/**
 * Counts one hit for `key` in a fixed window and tells whether the limit is passed.
 * The counter lives in PostgreSQL, so every web process shares it.
 */
export async function hitRateLimit(
  db: Db,
  key: string,
  { limit, windowSeconds }: { limit: number; windowSeconds: number },
): Promise<{ allowed: boolean; count: number; windowStart: string }> {
  const result = await db.execute<{ count: number; window_start: string }>(sql`
    insert into rate_limit_counters (key, window_start, count)
    values (${key}, to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds}), 1)
    on conflict (key, window_start) do update set count = rate_limit_counters.count + 1
    returning count, window_start::text`);
  const count = Number(result.rows[0]?.count ?? 0);
  return { allowed: count <= limit, count, windowStart: result.rows[0]?.window_start ?? "" };
}

/**
 * Gives back a hit (an attempt that turned out not to count, e.g. a sign-in that succeeded) to
 * the window it was counted in — not the current one: a hit taken just before a window ends must
 * not erase a failure of the next.
 */
export async function releaseRateLimit(db: Db, key: string, windowStart: string): Promise<void> {
  await db.execute(sql`
    update rate_limit_counters set count = greatest(count - 1, 0)
    where key = ${key} and window_start = ${windowStart}::timestamptz`);
}

/** Reads the current count without adding to it. */
export async function peekRateLimit(db: Db, key: string, windowSeconds: number): Promise<number> {
  const result = await db.execute<{ count: number }>(sql`
    select count from rate_limit_counters
    where key = ${key}
      and window_start = to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds})`);
  return Number(result.rows[0]?.count ?? 0);
}

export async function pruneRateLimits(db: Db): Promise<void> {
  await db.execute(sql`delete from rate_limit_counters where window_start < now() - interval '1 day'`);
}
