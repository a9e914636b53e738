CREATE TABLE "cv_renditions" (
	"version_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cv_renditions_version_id_kind_pk" PRIMARY KEY("version_id","kind"),
	CONSTRAINT "cv_renditions_kind_check" CHECK ("cv_renditions"."kind" in ('preview', 'pdf'))
);
--> statement-breakpoint
ALTER TABLE "cv_renditions" ADD CONSTRAINT "cv_renditions_version_id_cv_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."cv_versions"("id") ON DELETE no action ON UPDATE no action;