CREATE TABLE `engine_state` (
	`kind` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
-- The engines' rows move into one table keyed by kind; the zone kinds' own tables go.
INSERT INTO `engine_state` (`kind`, `state`, `updated_at`) SELECT 'mud', `state`, `updated_at` FROM `mud_world` WHERE `id` = 1;
--> statement-breakpoint
INSERT INTO `engine_state` (`kind`, `state`, `updated_at`) SELECT 'field', `state`, `updated_at` FROM `field_world` WHERE `id` = 1;
--> statement-breakpoint
DROP TABLE `mud_world`;
--> statement-breakpoint
DROP TABLE `field_world`;
