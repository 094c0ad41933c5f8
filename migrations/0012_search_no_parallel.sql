-- Search statements are short and many: starting parallel workers costs more than it saves (and a
-- gated-off branch of a statement may still start them).
ALTER TABLE "search_documents" SET (parallel_workers = 0);
