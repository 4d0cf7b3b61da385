ALTER TABLE `character_writes` ADD `sent_version` integer;--> statement-breakpoint
ALTER TABLE `character_writes` ADD `sent_states` text;