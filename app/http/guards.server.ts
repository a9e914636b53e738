import { data, type AppLoadContext } from "react-router";
import { isStaff } from "~/domain/accounts/permissions";
import type { SessionUser } from "~/domain/accounts/sessions";
import { requireUser } from "./session.server";

/**
 * Staff pages: anonymous visitors are sent to sign in; signed-in people who are not staff get
 * a 404, so the page does not even reveal it exists.
 */
export async function requireStaffUser(request: Request, context: AppLoadContext): Promise<SessionUser> {
  const user = await requireUser(request, context);
  if (!isStaff(user)) throw data(null, { status: 404 });
  return user;
}
