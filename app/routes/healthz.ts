import { sql } from "drizzle-orm";
import type { Route } from "./+types/healthz";

/** 200 when the database answers, 503 otherwise (for load balancers and uptime checks). */
export async function loader({ context }: Route.LoaderArgs) {
  const headers = { "Cache-Control": "no-store" };
  try {
    await Promise.race([
      context.services.db.execute(sql`select 1`),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 3000)),
    ]);
    return Response.json({ status: "ok" }, { headers });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503, headers });
  }
}
