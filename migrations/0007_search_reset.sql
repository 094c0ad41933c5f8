-- The built-in search index changes shape in the next migration (columns that cannot be null).
-- It is derived data: empty it, and queue an index job for every published listing so the worker
-- rebuilds it on start (the same job the listing's own changes enqueue).
DELETE FROM "search_documents";--> statement-breakpoint
DELETE FROM "search_words";--> statement-breakpoint
INSERT INTO "jobs" ("queue", "payload", "dedupe_key")
SELECT 'search', json_build_object('listingId', "id")::jsonb, 'listing:' || "id"
FROM "listings"
WHERE "status" = 'published'
ON CONFLICT ("queue", "dedupe_key") WHERE "status" = 'pending' AND "dedupe_key" IS NOT NULL DO NOTHING;
