import { pruneRateLimits } from "~/domain/accounts/rate-limit";
import { SEND_EMAIL_JOB } from "~/domain/email/outbox";
import type { Services } from "~/services.server";
import { sendEmailJob, sweepOutboxJob } from "./send-email.server";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (services: Services, data: any) => Promise<void>;

/** Every job this product runs, by queue name. */
export const handlers: Record<string, Handler> = {
  [SEND_EMAIL_JOB]: sendEmailJob,
  "outbox-sweep": sweepOutboxJob,
  "rate-limit-prune": (services) => pruneRateLimits(services.db),
};

/** Recurring jobs (cron, Europe/Paris). */
export const schedules: Record<string, string> = {
  "outbox-sweep": "* * * * *",
  "rate-limit-prune": "17 3 * * *",
};
