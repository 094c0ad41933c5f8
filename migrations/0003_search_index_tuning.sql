DROP INDEX "search_documents_tsv_idx";--> statement-breakpoint
DROP INDEX "search_documents_head_idx";--> statement-breakpoint
DROP INDEX "search_documents_sectors_idx";--> statement-breakpoint
DROP INDEX "search_documents_target_countries_idx";--> statement-breakpoint
DROP INDEX "search_documents_partnership_types_idx";--> statement-breakpoint
DROP INDEX "search_documents_sdgs_idx";--> statement-breakpoint
CREATE INDEX "search_documents_sample_tsv_idx" ON "search_documents" USING gin ("tsv") WITH (fastupdate=false) WHERE sample_key < 8;--> statement-breakpoint
CREATE INDEX "search_documents_sample_head_idx" ON "search_documents" USING gin ("head") WITH (fastupdate=false) WHERE sample_key < 8;--> statement-breakpoint
CREATE INDEX "search_documents_stage_idx" ON "search_documents" USING btree ("stage");--> statement-breakpoint
CREATE INDEX "search_documents_ipr_status_idx" ON "search_documents" USING btree ("ipr_status");--> statement-breakpoint
CREATE INDEX "search_documents_trl_idx" ON "search_documents" USING btree ("trl");--> statement-breakpoint
CREATE INDEX "search_documents_tsv_idx" ON "search_documents" USING gin ("tsv") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "search_documents_head_idx" ON "search_documents" USING gin ("head") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "search_documents_sectors_idx" ON "search_documents" USING gin ("sectors") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "search_documents_target_countries_idx" ON "search_documents" USING gin ("target_countries") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "search_documents_partnership_types_idx" ON "search_documents" USING gin ("partnership_types") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "search_documents_sdgs_idx" ON "search_documents" USING gin ("sdgs") WITH (fastupdate=false);