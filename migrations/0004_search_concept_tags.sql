-- The built-in engine now tags each document with the concepts of the domain vocabulary that its
-- text names (lexemes 'concept:<id>' in head and tsv), and a query naming a concept matches those
-- tags. Documents indexed before carry no tags: queue every one of them for re-indexing, as an edit
-- would (same queue, payload and dedupe key as SearchService.enqueue). The worker rewrites them in
-- the background; search keeps answering meanwhile.
INSERT INTO "jobs" ("queue", "payload", "dedupe_key")
SELECT 'search', jsonb_build_object('listingId', "listing_id"::text), 'listing:' || "listing_id"::text
FROM "search_documents"
ON CONFLICT ("queue", "dedupe_key") WHERE "status" = 'pending' AND "dedupe_key" IS NOT NULL DO NOTHING;
