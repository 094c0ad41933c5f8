-- Matching weighs 60 candidates per request on their structured fields (findListingFacts): 60
-- rows scattered over the listings table, whose rows carry the long texts (157 MB at 100,000
-- listings, far more than the server's shared buffers). This index holds just those fields (31 MB
-- at 100,000), so they are read from it alone (an index-only scan: no heap fetch once vacuum has
-- marked the pages all-visible). On fresh connections: 5.6-7.6 ms against 8.3-8.8 ms for 60
-- random listings. Written by hand: drizzle's schema cannot declare INCLUDE columns.
CREATE INDEX "listings_facts_idx" ON "listings" USING btree ("id")
  INCLUDE ("kind", "status", "version", "organization_id", "sectors", "stage", "trl", "partnership_types", "target_countries", "published_at", "expires_at");
