CREATE TABLE "listing_match_lexemes" (
	"listing_id" uuid PRIMARY KEY NOT NULL,
	"lexemes" text[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listing_match_lexemes" ADD CONSTRAINT "listing_match_lexemes_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- matching_stem_counts now counts each listing's words as the search index stems them (a candidate
-- query's budget is of engine hits): the lexemes of every stored analysis, from the text it was
-- made of (title, keywords, summary, description, and advantages or specification sought), then
-- the counts again from them.
INSERT INTO "listing_match_lexemes" ("listing_id", "lexemes")
SELECT l.id, tsvector_to_array(to_tsvector('english', unaccent(concat_ws(' ', l.title, array_to_string(l.keywords, ' '), l.summary, l.description,
  CASE WHEN l.kind = 'offer' THEN l.advantages ELSE l.specification_sought END))))
FROM "listing_match_features" AS f JOIN "listings" AS l ON l.id = f.listing_id;--> statement-breakpoint
DELETE FROM "matching_stem_counts";--> statement-breakpoint
INSERT INTO "matching_stem_counts" ("stem", "kind", "listings")
SELECT s, l.kind, count(*)::int
FROM "listing_match_lexemes" AS x JOIN "listings" AS l ON l.id = x.listing_id, unnest(x.lexemes) AS s
GROUP BY s, l.kind;
