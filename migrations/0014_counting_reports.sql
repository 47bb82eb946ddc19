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
CREATE INDEX `counting_reports_meeting_idx` ON `counting_reports` (`meeting_id`);