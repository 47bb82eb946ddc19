CREATE TABLE `meeting_commands` (
	`meeting_id` text NOT NULL,
	`command_id` text NOT NULL,
	`actor` text NOT NULL,
	`seq` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `meeting_commands_key_idx` ON `meeting_commands` (`meeting_id`,`actor`,`command_id`);--> statement-breakpoint
CREATE TABLE `meeting_events` (
	`meeting_id` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`actor` text NOT NULL,
	`payload` text NOT NULL,
	`at` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`meeting_id`, `seq`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade
);
