CREATE TABLE `minutes_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`document` text NOT NULL,
	`signature_boxes` text NOT NULL,
	`page_count` integer NOT NULL,
	`head_hash` text NOT NULL,
	`head_seq` integer NOT NULL,
	`final_sha256` text NOT NULL,
	`current_sha256` text NOT NULL,
	`current_size` integer NOT NULL,
	`finalized_by` text NOT NULL,
	`finalized_at` text NOT NULL,
	`secretary_id` text,
	`secretary_signed_at` text,
	`chair_id` text,
	`chair_signed_at` text,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `minutes_versions_meeting_version_idx` ON `minutes_versions` (`meeting_id`,`version`);--> statement-breakpoint
CREATE TABLE `signature_images` (
	`user_id` text PRIMARY KEY NOT NULL,
	`png_base64` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
