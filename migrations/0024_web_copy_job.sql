ALTER TABLE `documents` ADD `web_state` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `web_error` text;