-- Keep the search index's heap rows narrow: queries scan many rows for matches, filters and facet
-- counts, and read the long values (texts, the full tsvector, the word list) of only one page of
-- hits. A low toast_tuple_target moves every long value out of line; head, which ranks every
-- match, stays inline (compressed if need be).
ALTER TABLE "search_documents" SET (toast_tuple_target = 128);--> statement-breakpoint
ALTER TABLE "search_documents" ALTER COLUMN "head" SET STORAGE MAIN;
