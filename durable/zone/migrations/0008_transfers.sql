CREATE TABLE `arrivals` (
	`transfer_id` text PRIMARY KEY NOT NULL,
	`character_id` text NOT NULL,
	`accepted_at` integer NOT NULL,
	`welcomed_at` integer
);
--> statement-breakpoint
CREATE TABLE `transfers` (
	`transfer_id` text PRIMARY KEY NOT NULL,
	`character_id` text NOT NULL,
	`traveller` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL
);
