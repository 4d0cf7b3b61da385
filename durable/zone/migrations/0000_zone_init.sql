CREATE TABLE `said_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`tick` integer NOT NULL,
	`session_id` text NOT NULL,
	`name` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `zone_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`zone_id` text NOT NULL,
	`realm` text NOT NULL,
	`tick` integer NOT NULL,
	`last_target_at` real NOT NULL,
	`rng_state` integer NOT NULL,
	`weather` text NOT NULL,
	`next_said_id` integer NOT NULL,
	`updated_at` integer NOT NULL
);
