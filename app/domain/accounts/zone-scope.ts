import { isNull, or, eq, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Actor } from "./permissions";

/**
 * The SQL form of `staffCoversZone` (decision 020): rows whose zone column is the staff member's
 * zone or no zone; undefined (no condition) for national staff. Every staff list of people
 * — members, CVs to review, candidates to match, check-ins, cohort members — goes through it.
 */
export function staffZoneScope(actor: Actor, zoneColumn: PgColumn): SQL | undefined {
  return actor.zoneId ? or(eq(zoneColumn, actor.zoneId), isNull(zoneColumn)) : undefined;
}
