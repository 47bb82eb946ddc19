-- Custom migration (drizzle-kit generate --custom): Drizzle cannot declare WITHOUT ROWID. A rowid
-- table numbers rows in insertion order, which would line secret ballots up with the ballot.cast
-- events of their voters; WITHOUT ROWID stores them by (vote_id, receipt) only. Empty until now.
DROP TABLE `secret_ballots`;
--> statement-breakpoint
CREATE TABLE `secret_ballots` (
	`vote_id` text NOT NULL,
	`receipt` text NOT NULL,
	`choice_id` text NOT NULL,
	PRIMARY KEY(`vote_id`, `receipt`),
	FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
