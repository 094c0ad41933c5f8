CREATE TABLE "listing_match_features" (
	"listing_id" uuid PRIMARY KEY NOT NULL,
	"listing_version" integer NOT NULL,
	"features" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listing_match_features" ADD CONSTRAINT "listing_match_features_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;