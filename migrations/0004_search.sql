CREATE TABLE "search_documents" (
	"listing_id" uuid PRIMARY KEY NOT NULL,
	"reference" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"description" text NOT NULL,
	"details" text NOT NULL,
	"keywords" text[] NOT NULL,
	"sectors" text[] NOT NULL,
	"country" text NOT NULL,
	"target_countries" text[] NOT NULL,
	"stage" text NOT NULL,
	"trl" smallint NOT NULL,
	"ipr_status" text NOT NULL,
	"partnership_types" text[] NOT NULL,
	"sdgs" smallint[] NOT NULL,
	"organization_name" text,
	"organization_id" uuid NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"words" text[] NOT NULL,
	"tsv" "tsvector" NOT NULL,
	"indexed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_words" (
	"word" text PRIMARY KEY NOT NULL,
	"signature" text NOT NULL,
	"documents" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_documents_tsv_idx" ON "search_documents" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "search_documents_published_idx" ON "search_documents" USING btree ("published_at" DESC NULLS LAST,"listing_id");--> statement-breakpoint
CREATE INDEX "search_documents_sectors_idx" ON "search_documents" USING gin ("sectors");--> statement-breakpoint
CREATE INDEX "search_documents_target_countries_idx" ON "search_documents" USING gin ("target_countries");--> statement-breakpoint
CREATE INDEX "search_documents_partnership_types_idx" ON "search_documents" USING gin ("partnership_types");--> statement-breakpoint
CREATE INDEX "search_documents_sdgs_idx" ON "search_documents" USING gin ("sdgs");--> statement-breakpoint
CREATE INDEX "search_documents_indexed_idx" ON "search_documents" USING btree ("indexed_at");--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gist ("word" gist_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_words_signature_idx" ON "search_words" USING btree ("signature");