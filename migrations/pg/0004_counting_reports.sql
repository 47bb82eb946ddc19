CREATE TABLE "counting_reports" (
	"vote_id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"committee" text NOT NULL,
	"document" text NOT NULL,
	"signature_boxes" text NOT NULL,
	"page_count" integer NOT NULL,
	"final_sha256" text NOT NULL,
	"current_sha256" text NOT NULL,
	"current_size" integer NOT NULL,
	"signatures" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "counting_reports" ADD CONSTRAINT "counting_reports_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counting_reports" ADD CONSTRAINT "counting_reports_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "counting_reports_meeting_idx" ON "counting_reports" USING btree ("meeting_id");