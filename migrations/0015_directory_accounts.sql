ALTER TABLE `users` ADD `auth_source` text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `external_id` text;--> statement-breakpoint
ALTER TABLE `users` ADD `unit` text;--> statement-breakpoint
ALTER TABLE `users` ADD `position` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_external_idx` ON `users` (`auth_source`,`external_id`);