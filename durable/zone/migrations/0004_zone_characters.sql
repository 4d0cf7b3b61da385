CREATE TABLE `zone_characters` (
	`character_id` text PRIMARY KEY NOT NULL,
	`character` text NOT NULL,
	`connected_at` integer NOT NULL
);
