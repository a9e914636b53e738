ALTER TABLE "share_events" ADD COLUMN "prefix_hash" text;--> statement-breakpoint
ALTER TABLE "view_events" ADD COLUMN "prefix_hash" text;--> statement-breakpoint
CREATE INDEX "share_events_prefix_idx" ON "share_events" USING btree ("cv_id","network","day","prefix_hash");--> statement-breakpoint
CREATE INDEX "view_events_prefix_idx" ON "view_events" USING btree ("cv_id","day","prefix_hash");