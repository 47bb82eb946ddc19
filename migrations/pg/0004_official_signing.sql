CREATE TABLE "minutes_signing_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"version" integer NOT NULL,
	"role" text NOT NULL,
	"user_id" text NOT NULL,
	"base_sha256" text NOT NULL,
	"prepared_sha256" text NOT NULL,
	"byte_range" text NOT NULL,
	"digest" text NOT NULL,
	"signed_attributes" text,
	"certificate_chain" text,
	"signed_at" text NOT NULL,
	"expires_at" text NOT NULL,
	"status" text NOT NULL,
	"problem" text
);
--> statement-breakpoint
CREATE TABLE "trusted_certificates" (
	"id" text PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"subject" text NOT NULL,
	"not_before" text NOT NULL,
	"not_after" text NOT NULL,
	"der_base64" text NOT NULL,
	"added_by" text,
	"added_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "minutes_signing_requests" ADD CONSTRAINT "minutes_signing_requests_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "minutes_signing_requests" ADD CONSTRAINT "minutes_signing_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "minutes_signing_requests_meeting_idx" ON "minutes_signing_requests" USING btree ("meeting_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trusted_certificates_sha256_idx" ON "trusted_certificates" USING btree ("sha256");