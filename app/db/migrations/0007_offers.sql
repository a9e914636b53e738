CREATE TABLE "candidate_offers" (
	"offer_id" uuid NOT NULL,
	"candidate_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"status" text DEFAULT 'to_process' NOT NULL,
	"bookmarked" boolean DEFAULT false NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"contact_revealed_at" timestamp with time zone,
	"notified_at" timestamp with time zone,
	"seen_by_candidate_at" timestamp with time zone,
	"seen_by_coach_at" timestamp with time zone,
	"status_changed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "candidate_offers_offer_id_candidate_id_pk" PRIMARY KEY("offer_id","candidate_id"),
	CONSTRAINT "candidate_offers_status_check" CHECK ("candidate_offers"."status" in ('to_process', 'contacted', 'interview', 'hired', 'refused_before_interview', 'refused_after_interview'))
);
--> statement-breakpoint
CREATE TABLE "check_ins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hire_id" uuid NOT NULL,
	"months" integer NOT NULL,
	"party" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"handled_at" timestamp with time zone,
	"handled_by_id" uuid,
	CONSTRAINT "check_ins_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "check_ins_months_check" CHECK ("check_ins"."months" in (1, 3, 6))
);
--> statement-breakpoint
CREATE TABLE "follow_up_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"offer_id" uuid NOT NULL,
	"candidate_id" uuid NOT NULL,
	"actor_id" uuid,
	"change" text NOT NULL,
	"from_value" text,
	"to_value" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hires" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"candidate_id" uuid NOT NULL,
	"offer_id" uuid,
	"contract_type" text NOT NULL,
	"start_date" text NOT NULL,
	"end_date" text,
	"employer_email" text,
	"employer_name" text DEFAULT '' NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offer_transitions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"offer_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_id" uuid,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"zone_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"held_reason" text,
	"refused_reason" text,
	"is_public" boolean NOT NULL,
	"origin" text DEFAULT 'employer' NOT NULL,
	"company" text NOT NULL,
	"recruiter_name" text NOT NULL,
	"recruiter_position" text DEFAULT '' NOT NULL,
	"recruiter_email" text NOT NULL,
	"recruiter_phone" text DEFAULT '' NOT NULL,
	"recruiter_locale" text DEFAULT 'fr' NOT NULL,
	"job_title" text NOT NULL,
	"business_line" text NOT NULL,
	"description" text NOT NULL,
	"prerequisites" text DEFAULT '' NOT NULL,
	"contract_type" text NOT NULL,
	"start_date" text,
	"end_date" text,
	"part_time" boolean DEFAULT false NOT NULL,
	"hours" text DEFAULT '' NOT NULL,
	"salary" text DEFAULT '' NOT NULL,
	"driving_licence" boolean DEFAULT false NOT NULL,
	"positions" integer DEFAULT 1 NOT NULL,
	"department" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"share_link_id" uuid,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"validated_at" timestamp with time zone,
	CONSTRAINT "offers_status_check" CHECK ("offers"."status" in ('pending', 'held', 'validated', 'refused', 'archived')),
	CONSTRAINT "offers_positions_check" CHECK ("offers"."positions" between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "dedup_key" text;--> statement-breakpoint
ALTER TABLE "candidate_offers" ADD CONSTRAINT "candidate_offers_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidate_offers" ADD CONSTRAINT "candidate_offers_candidate_id_users_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_hire_id_hires_id_fk" FOREIGN KEY ("hire_id") REFERENCES "public"."hires"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_handled_by_id_users_id_fk" FOREIGN KEY ("handled_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_log" ADD CONSTRAINT "follow_up_log_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_log" ADD CONSTRAINT "follow_up_log_candidate_id_users_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_log" ADD CONSTRAINT "follow_up_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hires" ADD CONSTRAINT "hires_candidate_id_users_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hires" ADD CONSTRAINT "hires_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hires" ADD CONSTRAINT "hires_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_transitions" ADD CONSTRAINT "offer_transitions_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_transitions" ADD CONSTRAINT "offer_transitions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_zone_id_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_share_link_id_share_links_id_fk" FOREIGN KEY ("share_link_id") REFERENCES "public"."share_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "candidate_offers_candidate_idx" ON "candidate_offers" USING btree ("candidate_id");--> statement-breakpoint
CREATE UNIQUE INDEX "check_ins_once" ON "check_ins" USING btree ("hire_id","months","party");--> statement-breakpoint
CREATE INDEX "check_ins_answer_idx" ON "check_ins" USING btree ("answer","handled_at");--> statement-breakpoint
CREATE INDEX "follow_up_log_offer_candidate_idx" ON "follow_up_log" USING btree ("offer_id","candidate_id");--> statement-breakpoint
CREATE INDEX "hires_candidate_idx" ON "hires" USING btree ("candidate_id");--> statement-breakpoint
CREATE INDEX "offer_transitions_offer_idx" ON "offer_transitions" USING btree ("offer_id");--> statement-breakpoint
CREATE INDEX "offers_status_zone_idx" ON "offers" USING btree ("status","zone_id");--> statement-breakpoint
CREATE INDEX "offers_group_idx" ON "offers" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "offers_share_link_idx" ON "offers" USING btree ("share_link_id");--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_dedup_key_unique" UNIQUE("dedup_key");