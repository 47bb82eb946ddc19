CREATE TABLE "agenda_item_documents" (
	"agenda_item_id" text NOT NULL,
	"document_id" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "agenda_item_documents_agenda_item_id_document_id_pk" PRIMARY KEY("agenda_item_id","document_id")
);
--> statement-breakpoint
CREATE TABLE "agenda_items" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"presenter_id" text,
	"duration_minutes" integer,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "annotation_strokes" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"document_id" text NOT NULL,
	"page" integer NOT NULL,
	"author_id" text NOT NULL,
	"layer" text NOT NULL,
	"tool" text NOT NULL,
	"color" text NOT NULL,
	"width" double precision NOT NULL,
	"points" text NOT NULL,
	"text" text,
	"removed" boolean DEFAULT false NOT NULL,
	"seq" integer NOT NULL,
	"at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" text PRIMARY KEY NOT NULL,
	"at" text NOT NULL,
	"actor_id" text,
	"actor_name" text,
	"action" text NOT NULL,
	"meeting_id" text,
	"outcome" text NOT NULL,
	"code" text,
	"details" text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"sha256" text NOT NULL,
	"filename" text NOT NULL,
	"title" text,
	"page_count" integer NOT NULL,
	"size" integer NOT NULL,
	"web_sha256" text,
	"web_size" integer,
	"web_first_page_bytes" integer,
	"uploaded_by" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_commands" (
	"meeting_id" text NOT NULL,
	"command_id" text NOT NULL,
	"actor" text NOT NULL,
	"seq" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_events" (
	"meeting_id" text NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"payload" text NOT NULL,
	"at" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "meeting_events_meeting_id_seq_pk" PRIMARY KEY("meeting_id","seq")
);
--> statement-breakpoint
CREATE TABLE "meeting_members" (
	"meeting_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"added_at" text NOT NULL,
	CONSTRAINT "meeting_members_meeting_id_user_id_pk" PRIMARY KEY("meeting_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"kind" text DEFAULT 'regular' NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"starts_at" text,
	"location" text,
	"organization" text,
	"created_by" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "minutes_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"document" text NOT NULL,
	"signature_boxes" text NOT NULL,
	"page_count" integer NOT NULL,
	"head_hash" text NOT NULL,
	"head_seq" integer NOT NULL,
	"final_sha256" text NOT NULL,
	"current_sha256" text NOT NULL,
	"current_size" integer NOT NULL,
	"finalized_by" text NOT NULL,
	"finalized_at" text NOT NULL,
	"secretary_id" text,
	"secretary_signed_at" text,
	"chair_id" text,
	"chair_signed_at" text
);
--> statement-breakpoint
CREATE TABLE "secret_ballots" (
	"vote_id" text NOT NULL,
	"receipt" text NOT NULL,
	"choice_id" text NOT NULL,
	CONSTRAINT "secret_ballots_vote_id_receipt_pk" PRIMARY KEY("vote_id","receipt")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signature_images" (
	"user_id" text PRIMARY KEY NOT NULL,
	"png_base64" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"full_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"is_admin" boolean DEFAULT false NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vote_participations" (
	"vote_id" text NOT NULL,
	"member_id" text NOT NULL,
	"cast_by" text NOT NULL,
	CONSTRAINT "vote_participations_vote_id_member_id_pk" PRIMARY KEY("vote_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"item_id" text,
	"question" text NOT NULL,
	"choices" text NOT NULL,
	"secret" boolean NOT NULL,
	"rule" text NOT NULL,
	"status" text NOT NULL,
	"receipt_key" text,
	"result" text,
	"created_at" text NOT NULL,
	"opened_at" text,
	"closed_at" text
);
--> statement-breakpoint
ALTER TABLE "agenda_item_documents" ADD CONSTRAINT "agenda_item_documents_agenda_item_id_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."agenda_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_item_documents" ADD CONSTRAINT "agenda_item_documents_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_items" ADD CONSTRAINT "agenda_items_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_items" ADD CONSTRAINT "agenda_items_presenter_id_users_id_fk" FOREIGN KEY ("presenter_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annotation_strokes" ADD CONSTRAINT "annotation_strokes_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annotation_strokes" ADD CONSTRAINT "annotation_strokes_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_commands" ADD CONSTRAINT "meeting_commands_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_events" ADD CONSTRAINT "meeting_events_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_members" ADD CONSTRAINT "meeting_members_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_members" ADD CONSTRAINT "meeting_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "minutes_versions" ADD CONSTRAINT "minutes_versions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "secret_ballots" ADD CONSTRAINT "secret_ballots_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_images" ADD CONSTRAINT "signature_images_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_participations" ADD CONSTRAINT "vote_participations_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_item_id_agenda_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."agenda_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agenda_meeting_idx" ON "agenda_items" USING btree ("meeting_id","position");--> statement-breakpoint
CREATE INDEX "annotation_strokes_doc_idx" ON "annotation_strokes" USING btree ("document_id","page");--> statement-breakpoint
CREATE INDEX "annotation_strokes_meeting_idx" ON "annotation_strokes" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_meeting_idx" ON "audit_log" USING btree ("meeting_id","at");--> statement-breakpoint
CREATE INDEX "documents_meeting_idx" ON "documents" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "documents_sha_idx" ON "documents" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_commands_key_idx" ON "meeting_commands" USING btree ("meeting_id","actor","command_id");--> statement-breakpoint
CREATE INDEX "members_user_idx" ON "meeting_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "minutes_versions_meeting_version_idx" ON "minutes_versions" USING btree ("meeting_id","version");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_idx" ON "users" USING btree ("username");--> statement-breakpoint
CREATE INDEX "votes_meeting_idx" ON "votes" USING btree ("meeting_id");