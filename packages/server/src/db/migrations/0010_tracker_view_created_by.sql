ALTER TABLE "tracker_views" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "tracker_views" ADD CONSTRAINT "tracker_views_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Views saved before the column existed: their owner, or who created them by the audit log.
UPDATE "tracker_views" v SET "created_by" = coalesce(v."user_id", (
  SELECT a."actor_id" FROM "audit_log" a
  WHERE a."entity_type" = 'tracker_view' AND a."entity_id" = v."id"::text
    AND a."action" = 'create' AND a."actor_type" = 'user'
  ORDER BY a."at" LIMIT 1));
