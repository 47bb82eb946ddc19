ALTER TABLE `documents` ADD `web_sha256` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `web_size` integer;