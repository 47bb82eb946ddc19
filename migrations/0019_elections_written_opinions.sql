CREATE TABLE `counting_reports` (
	`vote_id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`committee` text NOT NULL,
	`document` text NOT NULL,
	`signature_boxes` text NOT NULL,
	`page_count` integer NOT NULL,
	`final_sha256` text NOT NULL,
	`current_sha256` text NOT NULL,
	`current_size` integer NOT NULL,
	`signatures` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `counting_reports_meeting_idx` ON `counting_reports` (`meeting_id`);--> statement-breakpoint
CREATE TABLE `opinion_recipients` (
	`request_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`request_id`, `user_id`),
	FOREIGN KEY (`request_id`) REFERENCES `opinion_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `opinion_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`document_ids` text NOT NULL,
	`questions` text NOT NULL,
	`deadline` text NOT NULL,
	`rule` text NOT NULL,
	`status` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`closed_at` text,
	`result` text,
	`report_sha256` text,
	`reminder_sent_at` text,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `opinion_requests_meeting_idx` ON `opinion_requests` (`meeting_id`);--> statement-breakpoint
CREATE TABLE `opinion_responses` (
	`request_id` text NOT NULL,
	`user_id` text NOT NULL,
	`answers` text NOT NULL,
	`updated_at` text NOT NULL,
	`signed_at` text,
	`signed_sha256` text,
	PRIMARY KEY(`request_id`, `user_id`),
	FOREIGN KEY (`request_id`) REFERENCES `opinion_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
