CREATE TABLE `document_page_texts` (
	`document_id` text NOT NULL,
	`page` integer NOT NULL,
	`text` text NOT NULL,
	PRIMARY KEY(`document_id`, `page`),
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `document_reads` (
	`document_id` text NOT NULL,
	`user_id` text NOT NULL,
	`pages` text NOT NULL,
	`pages_viewed` integer NOT NULL,
	`first_opened_at` text NOT NULL,
	`last_read_at` text NOT NULL,
	PRIMARY KEY(`document_id`, `user_id`),
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `documents` ADD `text_state` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `published_at` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `previous_version_id` text REFERENCES documents(id);--> statement-breakpoint
-- documents circulated before drafts existed were all visible to the members: they stay so (published when uploaded)
UPDATE documents SET published_at = created_at;
