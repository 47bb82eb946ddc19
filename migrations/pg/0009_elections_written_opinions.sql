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
CREATE TABLE "opinion_recipients" (
	"request_id" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "opinion_recipients_request_id_user_id_pk" PRIMARY KEY("request_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "opinion_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"document_ids" text NOT NULL,
	"questions" text NOT NULL,
	"deadline" text NOT NULL,
	"rule" text NOT NULL,
	"status" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" text NOT NULL,
	"closed_at" text,
	"result" text,
	"report_sha256" text,
	"reminder_sent_at" text
);
--> statement-breakpoint
CREATE TABLE "opinion_responses" (
	"request_id" text NOT NULL,
	"user_id" text NOT NULL,
	"answers" text NOT NULL,
	"updated_at" text NOT NULL,
	"signed_at" text,
	"signed_sha256" text,
	CONSTRAINT "opinion_responses_request_id_user_id_pk" PRIMARY KEY("request_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "counting_reports" ADD CONSTRAINT "counting_reports_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counting_reports" ADD CONSTRAINT "counting_reports_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_recipients" ADD CONSTRAINT "opinion_recipients_request_id_opinion_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."opinion_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_recipients" ADD CONSTRAINT "opinion_recipients_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_requests" ADD CONSTRAINT "opinion_requests_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_responses" ADD CONSTRAINT "opinion_responses_request_id_opinion_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."opinion_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_responses" ADD CONSTRAINT "opinion_responses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "counting_reports_meeting_idx" ON "counting_reports" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "opinion_requests_meeting_idx" ON "opinion_requests" USING btree ("meeting_id");