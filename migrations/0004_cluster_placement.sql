CREATE TABLE "object_placements" (
	"realm" text NOT NULL,
	"namespace" text NOT NULL,
	"name" text NOT NULL,
	"object_id" text NOT NULL,
	"node_id" text NOT NULL,
	"epoch" integer DEFAULT 1 NOT NULL,
	"restore_from" text,
	"moving" boolean DEFAULT false NOT NULL,
	"placed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "realm_nodes" (
	"realm" text NOT NULL,
	"node_id" text NOT NULL,
	"url" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	"draining" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "object_placements_pk" ON "object_placements" USING btree ("realm","namespace","name");--> statement-breakpoint
CREATE INDEX "object_placements_node_idx" ON "object_placements" USING btree ("realm","node_id");--> statement-breakpoint
CREATE UNIQUE INDEX "realm_nodes_pk" ON "realm_nodes" USING btree ("realm","node_id");