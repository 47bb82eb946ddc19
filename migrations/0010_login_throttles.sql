CREATE TABLE `login_throttles` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`account` text,
	`source` text,
	`failures` integer DEFAULT 0 NOT NULL,
	`blocked_until` text,
	`expires_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_throttles_expires_idx` ON `login_throttles` (`expires_at`);