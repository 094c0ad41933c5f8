-- Keep the built-in search index's heap rows narrow: queries scan many rows for matches, filters
-- and facet counts, and read the long values (texts, the full tsvector, the word list) of only one
-- page of hits. A low toast_tuple_target moves every long value out of line.
ALTER TABLE "search_documents" SET (toast_tuple_target = 128);--> statement-breakpoint
-- Search statements are short and many: starting parallel workers costs more than it saves (and a
-- gated-off branch of a statement may still start them).
ALTER TABLE "search_documents" SET (parallel_workers = 0);--> statement-breakpoint
-- With toast_tuple_target at its minimum, PostgreSQL would also move the short columns that every
-- match, filter and facet count reads (arrays of codes, codes, head) out of line or compress them:
-- each read would then fetch or decompress them again. They are small and bounded (at most a few
-- codes each; head at most a few kB), so they stay inline and uncompressed.
ALTER TABLE "search_documents"
  ALTER COLUMN "kind" SET STORAGE PLAIN,
  ALTER COLUMN "country" SET STORAGE PLAIN,
  ALTER COLUMN "stage" SET STORAGE PLAIN,
  ALTER COLUMN "ipr_status" SET STORAGE PLAIN,
  ALTER COLUMN "sectors" SET STORAGE PLAIN,
  ALTER COLUMN "target_countries" SET STORAGE PLAIN,
  ALTER COLUMN "partnership_types" SET STORAGE PLAIN,
  ALTER COLUMN "sdgs" SET STORAGE PLAIN,
  ALTER COLUMN "head" SET STORAGE PLAIN;
