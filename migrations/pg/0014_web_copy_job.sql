ALTER TABLE "documents" ADD COLUMN "web_state" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "web_error" text;