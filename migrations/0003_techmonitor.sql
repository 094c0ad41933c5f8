CREATE TABLE "mail_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"to_email" text NOT NULL,
	"to_name" text,
	"user_id" uuid,
	"template" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text NOT NULL,
	"message_id" text NOT NULL,
	"unsubscribe_url" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_attempt_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "interests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"owner_organization_id" uuid NOT NULL,
	"sender_organization_id" uuid NOT NULL,
	"sender_user_id" uuid NOT NULL,
	"message" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decline_reason" text,
	"decline_note" text,
	"responded_by_id" uuid,
	"responded_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "introductions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"interest_id" uuid NOT NULL,
	"listing_id" uuid NOT NULL,
	"owner_organization_id" uuid NOT NULL,
	"sender_organization_id" uuid NOT NULL,
	"sender_user_id" uuid NOT NULL,
	"status" text DEFAULT 'in_discussion' NOT NULL,
	"agreement_type" text,
	"agreement_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tm_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"issue_id" uuid NOT NULL,
	"subscriber_id" uuid NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tm_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issue_id" uuid NOT NULL,
	"listing_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"position" integer NOT NULL,
	"note" text,
	"snapshot" jsonb,
	"added_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tm_issues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"volume" integer NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"theme_text" text NOT NULL,
	"theme_sectors" text[] NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"target_offers" integer NOT NULL,
	"target_requests" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by_id" uuid,
	"published_at" timestamp with time zone,
	"published_by_id" uuid,
	"send_started_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tm_issues_period_check" CHECK ("tm_issues"."period_end" >= "tm_issues"."period_start")
);
--> statement-breakpoint
CREATE TABLE "tm_subscribers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"countries" text[] NOT NULL,
	"sectors" text[] NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"confirm_token_hash" text,
	"confirm_token_expires_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	"bounced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interests" ADD CONSTRAINT "interests_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interests" ADD CONSTRAINT "interests_owner_organization_id_organizations_id_fk" FOREIGN KEY ("owner_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interests" ADD CONSTRAINT "interests_sender_organization_id_organizations_id_fk" FOREIGN KEY ("sender_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interests" ADD CONSTRAINT "interests_sender_user_id_users_id_fk" FOREIGN KEY ("sender_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interests" ADD CONSTRAINT "interests_responded_by_id_users_id_fk" FOREIGN KEY ("responded_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "introductions" ADD CONSTRAINT "introductions_interest_id_interests_id_fk" FOREIGN KEY ("interest_id") REFERENCES "public"."interests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "introductions" ADD CONSTRAINT "introductions_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "introductions" ADD CONSTRAINT "introductions_owner_organization_id_organizations_id_fk" FOREIGN KEY ("owner_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "introductions" ADD CONSTRAINT "introductions_sender_organization_id_organizations_id_fk" FOREIGN KEY ("sender_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "introductions" ADD CONSTRAINT "introductions_sender_user_id_users_id_fk" FOREIGN KEY ("sender_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tm_deliveries" ADD CONSTRAINT "tm_deliveries_issue_id_tm_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."tm_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tm_deliveries" ADD CONSTRAINT "tm_deliveries_subscriber_id_tm_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."tm_subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tm_entries" ADD CONSTRAINT "tm_entries_issue_id_tm_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."tm_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tm_entries" ADD CONSTRAINT "tm_entries_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tm_entries" ADD CONSTRAINT "tm_entries_added_by_id_users_id_fk" FOREIGN KEY ("added_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tm_issues" ADD CONSTRAINT "tm_issues_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tm_issues" ADD CONSTRAINT "tm_issues_published_by_id_users_id_fk" FOREIGN KEY ("published_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mail_messages_idempotency_key_idx" ON "mail_messages" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_messages_message_id_idx" ON "mail_messages" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "mail_messages_status_idx" ON "mail_messages" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "mail_messages_user_idx" ON "mail_messages" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "interests_open_per_sender_idx" ON "interests" USING btree ("listing_id","sender_organization_id") WHERE "interests"."status" in ('pending', 'accepted');--> statement-breakpoint
CREATE INDEX "interests_owner_idx" ON "interests" USING btree ("owner_organization_id","created_at");--> statement-breakpoint
CREATE INDEX "interests_sender_org_idx" ON "interests" USING btree ("sender_organization_id","created_at");--> statement-breakpoint
CREATE INDEX "interests_sender_user_idx" ON "interests" USING btree ("sender_user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "introductions_interest_idx" ON "introductions" USING btree ("interest_id");--> statement-breakpoint
CREATE INDEX "introductions_owner_idx" ON "introductions" USING btree ("owner_organization_id","created_at");--> statement-breakpoint
CREATE INDEX "introductions_sender_idx" ON "introductions" USING btree ("sender_organization_id","created_at");--> statement-breakpoint
CREATE INDEX "introductions_status_idx" ON "introductions" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tm_deliveries_issue_subscriber_idx" ON "tm_deliveries" USING btree ("issue_id","subscriber_id");--> statement-breakpoint
CREATE INDEX "tm_deliveries_status_idx" ON "tm_deliveries" USING btree ("issue_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "tm_entries_issue_listing_idx" ON "tm_entries" USING btree ("issue_id","listing_id");--> statement-breakpoint
CREATE INDEX "tm_entries_listing_idx" ON "tm_entries" USING btree ("listing_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tm_issues_volume_number_idx" ON "tm_issues" USING btree ("volume","number");--> statement-breakpoint
CREATE INDEX "tm_issues_status_published_idx" ON "tm_issues" USING btree ("status","published_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tm_subscribers_email_lower_idx" ON "tm_subscribers" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "tm_subscribers_confirm_token_idx" ON "tm_subscribers" USING btree ("confirm_token_hash");--> statement-breakpoint
CREATE INDEX "tm_subscribers_status_idx" ON "tm_subscribers" USING btree ("status","id");