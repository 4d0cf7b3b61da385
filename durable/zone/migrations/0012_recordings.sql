CREATE TABLE `recording_parts` (
	`part` integer PRIMARY KEY NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `recordings` (
	`id` integer PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`seconds` integer NOT NULL,
	`started_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`finished_at` integer,
	`reason` text,
	`chars` integer
);
