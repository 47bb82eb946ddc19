ALTER TABLE "users" ADD COLUMN "ui_large_text" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "ui_high_contrast" boolean DEFAULT false NOT NULL;