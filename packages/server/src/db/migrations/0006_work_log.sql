CREATE TABLE "work_log_daily" (
	"brand_id" uuid NOT NULL,
	"day" date NOT NULL,
	"user_id" uuid NOT NULL,
	"category" text,
	"channel" text,
	"queue_id" uuid,
	"seconds" bigint DEFAULT 0 NOT NULL,
	"entries" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "work_log_daily_key" UNIQUE NULLS NOT DISTINCT("brand_id","day","user_id","category","channel","queue_id")
);
--> statement-breakpoint
CREATE TABLE "work_log_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brand_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"category" text,
	"ticket_id" uuid,
	"source" text NOT NULL,
	"channel" text,
	"queue_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"seconds" integer DEFAULT 0 NOT NULL,
	"note" text,
	"locked_at" timestamp with time zone,
	"locked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "work_log_daily" ADD CONSTRAINT "work_log_daily_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_log_daily" ADD CONSTRAINT "work_log_daily_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_log_entries" ADD CONSTRAINT "work_log_entries_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_log_entries" ADD CONSTRAINT "work_log_entries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_log_entries" ADD CONSTRAINT "work_log_entries_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_log_entries" ADD CONSTRAINT "work_log_entries_queue_id_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."queues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_log_entries" ADD CONSTRAINT "work_log_entries_locked_by_users_id_fk" FOREIGN KEY ("locked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "work_log_entries_brand_started_idx" ON "work_log_entries" USING btree ("brand_id","started_at");--> statement-breakpoint
CREATE INDEX "work_log_entries_user_started_idx" ON "work_log_entries" USING btree ("user_id","started_at");--> statement-breakpoint
CREATE INDEX "work_log_entries_ticket_idx" ON "work_log_entries" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "work_log_entries_running_timer_idx" ON "work_log_entries" USING btree ("user_id") WHERE "work_log_entries"."ended_at" is null and "work_log_entries"."source" = 'timer';