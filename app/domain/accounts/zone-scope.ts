import { and, isNull, ne, or, eq, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { users } from "~/db/schema";
import type { Actor } from "./permissions";

/**
 * The SQL form of `staffCoversZone` (decision 020): rows whose zone column is the staff member's
 * zone or no zone; undefined (no condition) for national staff. Every staff list of people
 * — members, CVs to review, candidates to match, check-ins, cohort members — goes through it.
 */
export function staffZoneScope(actor: Actor, zoneColumn: PgColumn): SQL | undefined {
  return actor.zoneId ? or(eq(zoneColumn, actor.zoneId), isNull(zoneColumn)) : undefined;
}

/**
 * The people (rows of `users`) a staff member's boundary holds: as `staffZoneScope`, except that
 * a zoneless staff member is national staff, never "someone without a zone": zoned staff do not
 * see them, so they cannot act for them (a resent invitation read in the outbox would hand them
 * a national account).
 */
export function staffPeopleScope(actor: Actor): SQL | undefined {
  return actor.zoneId ? or(eq(users.zoneId, actor.zoneId), and(isNull(users.zoneId), ne(users.role, "staff"))) : undefined;
}
