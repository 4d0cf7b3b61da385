CREATE TABLE `zone_quarantine` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`key` text NOT NULL,
	`payload` text,
	`reason` text NOT NULL,
	`quarantined_at` integer NOT NULL
);
