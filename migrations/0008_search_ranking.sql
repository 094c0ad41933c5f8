ALTER TABLE "search_documents" ADD COLUMN "head" "tsvector" NOT NULL;--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "sample_key" smallint NOT NULL;--> statement-breakpoint
CREATE INDEX "search_documents_sample_idx" ON "search_documents" USING btree ("sample_key");