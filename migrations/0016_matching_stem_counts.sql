CREATE TABLE "matching_stem_counts" (
	"stem" text NOT NULL,
	"kind" text NOT NULL,
	"listings" integer NOT NULL,
	CONSTRAINT "matching_stem_counts_stem_kind_pk" PRIMARY KEY("stem","kind")
);
--> statement-breakpoint
DROP TABLE "matching_term_counts" CASCADE;