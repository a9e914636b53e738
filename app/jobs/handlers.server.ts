import { PASSWORD_RESET_JOB, sendPasswordReset } from "~/domain/accounts/authentication";
import { pruneRateLimits } from "~/domain/accounts/rate-limit";
import { SEND_EMAIL_JOB } from "~/domain/email/outbox";
import { sendDueCheckIns } from "~/domain/offers/check-ins";
import { sendDueReminders } from "~/domain/offers/reminders";
import type { Services } from "~/services.server";
import { sendEmailJob, sweepOutboxJob } from "./send-email.server";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (services: Services, data: any) => Promise<void>;

export const REMINDERS_JOB = "offer-reminders";
export const CHECK_INS_JOB = "hire-check-ins";

/** Every job this product runs, by queue name. */
export const handlers: Record<string, Handler> = {
  [SEND_EMAIL_JOB]: sendEmailJob,
  "outbox-sweep": sweepOutboxJob,
  "rate-limit-prune": (services) => pruneRateLimits(services.db),
  // The lookup behind "forgot password", after the answer: its timing tells nothing (decision 018).
  [PASSWORD_RESET_JOB]: sendPasswordReset,
  // Sweeps: each finds what is due now in the tables and sends it once (decision 010).
  [REMINDERS_JOB]: async (services) => void (await sendDueReminders(services, new Date())),
  [CHECK_INS_JOB]: async (services) => void (await sendDueCheckIns(services, new Date())),
};

/** Recurring jobs (cron, Europe/Paris). pg-boss keeps them in the database: they survive restarts. */
export const schedules: Record<string, string> = {
  "outbox-sweep": "* * * * *",
  "rate-limit-prune": "17 3 * * *",
  [REMINDERS_JOB]: "*/15 * * * *",
  [CHECK_INS_JOB]: "*/15 * * * *",
};
