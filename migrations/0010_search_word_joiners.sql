-- The built-in engine now reads the punctuation PostgreSQL's parser joins words with (- . / @ : + _ ~)
-- as spaces, in the index as in queries, so "COVID-19", "PM2.5" and "forward/reverse" are found
-- (postgres-search.engine.ts, WORD_JOINERS). Documents indexed before hold the joined lexemes:
-- queue every one for re-indexing, as an edit would (as in 0004_search_concept_tags); search keeps
-- answering meanwhile. Matching counts its terms by the same lexemes: recount them from the text
-- each analysis was made of, in the form of 0007_matching_engine_stems.
INSERT INTO "jobs" ("queue", "payload", "dedupe_key")
SELECT 'search', jsonb_build_object('listingId', "listing_id"::text), 'listing:' || "listing_id"::text
FROM "search_documents"
ON CONFLICT ("queue", "dedupe_key") WHERE "status" = 'pending' AND "dedupe_key" IS NOT NULL DO NOTHING;--> statement-breakpoint
UPDATE "listing_match_lexemes" AS x
SET "lexemes" = tsvector_to_array(to_tsvector('english',
  replace(replace(replace(replace(replace(replace(replace(replace(
    unaccent(concat_ws(' ', l.title, array_to_string(l.keywords, ' '), l.summary, l.description,
      CASE WHEN l.kind = 'offer' THEN l.advantages ELSE l.specification_sought END)),
  '-', ' '), '.', ' '), '/', ' '), '@', ' '), ':', ' '), '+', ' '), '_', ' '), '~', ' ')))
FROM "listings" AS l
WHERE l.id = x.listing_id;--> statement-breakpoint
DELETE FROM "matching_stem_counts";--> statement-breakpoint
INSERT INTO "matching_stem_counts" ("stem", "kind", "listings")
SELECT s, l.kind, count(*)::int
FROM "listing_match_lexemes" AS x JOIN "listings" AS l ON l.id = x.listing_id, unnest(x.lexemes) AS s
GROUP BY s, l.kind;
