CREATE TABLE "matching_term_counts" (
	"stem" text PRIMARY KEY NOT NULL,
	"listings" integer NOT NULL
);
