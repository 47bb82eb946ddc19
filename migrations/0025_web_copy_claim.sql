ALTER TABLE `documents` ADD `web_claimed_by` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `web_claimed_at` text;