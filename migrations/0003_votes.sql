CREATE TABLE `secret_ballots` (
	`vote_id` text NOT NULL,
	`receipt` text NOT NULL,
	`choice_id` text NOT NULL,
	PRIMARY KEY(`vote_id`, `receipt`),
	FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `vote_participations` (
	`vote_id` text NOT NULL,
	`member_id` text NOT NULL,
	`cast_by` text NOT NULL,
	PRIMARY KEY(`vote_id`, `member_id`),
	FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `votes` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`item_id` text,
	`question` text NOT NULL,
	`choices` text NOT NULL,
	`secret` integer NOT NULL,
	`rule` text NOT NULL,
	`status` text NOT NULL,
	`receipt_key` text,
	`result` text,
	`created_at` text NOT NULL,
	`opened_at` text,
	`closed_at` text,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `agenda_items`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `votes_meeting_idx` ON `votes` (`meeting_id`);