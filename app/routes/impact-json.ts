import { impactTotals } from "~/domain/sharing/events";
import type { Route } from "./+types/impact-json";

/** Measured totals, for funders and partners; declared figures come apart, labelled as such. */
export async function loader({ context }: Route.LoaderArgs) {
  const totals = await impactTotals(context.services.db);
  const { declared, ...measured } = totals;
  return Response.json(
    { ...measured, declared: declared.map((d) => ({ ...d, kind: "declared" })) },
    { headers: { "Cache-Control": "public, max-age=5", "Access-Control-Allow-Origin": "*" } },
  );
}
