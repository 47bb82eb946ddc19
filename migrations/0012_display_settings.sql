ALTER TABLE `users` ADD `ui_large_text` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `ui_high_contrast` integer DEFAULT false NOT NULL;