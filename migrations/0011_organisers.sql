ALTER TABLE `documents` ADD `warning` text;--> statement-breakpoint
ALTER TABLE `users` ADD `is_organiser` integer DEFAULT false NOT NULL;