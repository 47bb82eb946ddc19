CREATE TABLE "login_throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"account" text,
	"source" text,
	"failures" integer DEFAULT 0 NOT NULL,
	"blocked_until" text,
	"expires_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sealed_ballots" (
	"vote_id" text NOT NULL,
	"id" text NOT NULL,
	"sealed" text NOT NULL,
	CONSTRAINT "sealed_ballots_vote_id_id_pk" PRIMARY KEY("vote_id","id")
);
--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "warning" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "is_organiser" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sealed_ballots" ADD CONSTRAINT "sealed_ballots_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "login_throttles_expires_idx" ON "login_throttles" USING btree ("expires_at");