CREATE TABLE "search_reindex_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"requested_by_id" uuid,
	"total" integer,
	"indexed" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_reindex_runs_created_idx" ON "search_reindex_runs" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "search_reindex_runs_one_open_idx" ON "search_reindex_runs" USING btree (("status" in ('queued', 'running'))) WHERE "search_reindex_runs"."status" in ('queued', 'running');