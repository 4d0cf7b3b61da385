CREATE TABLE "content_versions" (
	"realm" text NOT NULL,
	"version" integer NOT NULL,
	"pack_id" text NOT NULL,
	"files" json NOT NULL,
	"change" text NOT NULL,
	"account_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_versions_realm_version_pk" PRIMARY KEY("realm","version")
);
--> statement-breakpoint
ALTER TABLE "content_versions" ADD CONSTRAINT "content_versions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;