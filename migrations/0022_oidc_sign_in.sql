CREATE TABLE `oidc_logins` (
	`id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`nonce` text NOT NULL,
	`code_verifier` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `oidc_logins_created_idx` ON `oidc_logins` (`created_at`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `oidc_id_token` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `oidc_refresh_token` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `oidc_checked_at` text;--> statement-breakpoint
ALTER TABLE `users` ADD `oidc_subject` text;