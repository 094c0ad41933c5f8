-- Search (title typo tolerance, accent folding) needs these contrib extensions; PGlite loads them
-- from its bundled contrib, a PostgreSQL server from its contrib package.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
