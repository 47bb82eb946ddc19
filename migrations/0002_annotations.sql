CREATE TABLE `annotation_strokes` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`document_id` text NOT NULL,
	`page` integer NOT NULL,
	`author_id` text NOT NULL,
	`layer` text NOT NULL,
	`tool` text NOT NULL,
	`color` text NOT NULL,
	`width` real NOT NULL,
	`points` text NOT NULL,
	`text` text,
	`removed` integer DEFAULT false NOT NULL,
	`seq` integer NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `annotation_strokes_doc_idx` ON `annotation_strokes` (`document_id`,`page`);--> statement-breakpoint
CREATE INDEX `annotation_strokes_meeting_idx` ON `annotation_strokes` (`meeting_id`);