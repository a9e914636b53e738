ALTER TABLE "outbox" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "retry_until" timestamp with time zone DEFAULT now() + interval '3 days' NOT NULL;--> statement-breakpoint
-- Messages being sent when this runs keep the old rule: their sender is taken for dead two minutes after it claimed them.
UPDATE "outbox" SET "lease_until" = "claimed_at" + interval '2 minutes' WHERE "status" = 'sending';