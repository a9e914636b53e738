-- French full-text search that ignores accents and case: "cuisiniere" finds "cuisinière".
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'linkedout_fr') THEN
    CREATE TEXT SEARCH CONFIGURATION linkedout_fr ( COPY = french );
    ALTER TEXT SEARCH CONFIGURATION linkedout_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$;
--> statement-breakpoint
CREATE TABLE "cv_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cv_id" uuid NOT NULL,
	"square" "bytea" NOT NULL,
	"large" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cv_transitions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cv_id" uuid NOT NULL,
	"transition" text NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"actor_id" uuid,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cv_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cv_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"content" jsonb NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cvs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"candidate_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"current_version_id" uuid,
	"published_version_id" uuid,
	"revision" integer DEFAULT 0 NOT NULL,
	"employed_at" timestamp with time zone,
	"employed_until" text,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cvs_candidate_id_unique" UNIQUE("candidate_id"),
	CONSTRAINT "cvs_slug_unique" UNIQUE("slug"),
	CONSTRAINT "cvs_status_check" CHECK ("cvs"."status" in ('draft', 'submitted', 'changes_requested', 'published', 'hidden', 'unpublished'))
);
--> statement-breakpoint
CREATE TABLE "public_cvs" (
	"cv_id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"version_id" uuid NOT NULL,
	"card" jsonb NOT NULL,
	"business_lines" text[] NOT NULL,
	"departments" text[] NOT NULL,
	"regions" text[] NOT NULL,
	"contracts" text[] NOT NULL,
	"employed" boolean DEFAULT false NOT NULL,
	"search_text" text NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"shares" integer DEFAULT 0 NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	CONSTRAINT "public_cvs_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "cv_photos" ADD CONSTRAINT "cv_photos_cv_id_cvs_id_fk" FOREIGN KEY ("cv_id") REFERENCES "public"."cvs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cv_transitions" ADD CONSTRAINT "cv_transitions_cv_id_cvs_id_fk" FOREIGN KEY ("cv_id") REFERENCES "public"."cvs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cv_transitions" ADD CONSTRAINT "cv_transitions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cv_versions" ADD CONSTRAINT "cv_versions_cv_id_cvs_id_fk" FOREIGN KEY ("cv_id") REFERENCES "public"."cvs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cv_versions" ADD CONSTRAINT "cv_versions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cvs" ADD CONSTRAINT "cvs_candidate_id_users_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_cvs" ADD CONSTRAINT "public_cvs_cv_id_cvs_id_fk" FOREIGN KEY ("cv_id") REFERENCES "public"."cvs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cv_transitions_cv_idx" ON "cv_transitions" USING btree ("cv_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cv_versions_cv_revision" ON "cv_versions" USING btree ("cv_id","revision");--> statement-breakpoint
CREATE INDEX "public_cvs_search_idx" ON "public_cvs" USING gin (to_tsvector('linkedout_fr', "search_text"));--> statement-breakpoint
CREATE INDEX "public_cvs_business_lines_idx" ON "public_cvs" USING gin ("business_lines");--> statement-breakpoint
CREATE INDEX "public_cvs_departments_idx" ON "public_cvs" USING gin ("departments");--> statement-breakpoint
CREATE INDEX "public_cvs_regions_idx" ON "public_cvs" USING gin ("regions");--> statement-breakpoint
CREATE INDEX "public_cvs_contracts_idx" ON "public_cvs" USING gin ("contracts");--> statement-breakpoint
CREATE INDEX "public_cvs_exposure_idx" ON "public_cvs" USING btree ("employed","views","shares");