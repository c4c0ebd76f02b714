CREATE TABLE "work_log_locks" (
	"brand_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"locked_through" date NOT NULL,
	"locked_by" uuid,
	"locked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "work_log_locks_brand_id_user_id_pk" PRIMARY KEY("brand_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "work_log_locks" ADD CONSTRAINT "work_log_locks_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_log_locks" ADD CONSTRAINT "work_log_locks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_log_locks" ADD CONSTRAINT "work_log_locks_locked_by_users_id_fk" FOREIGN KEY ("locked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;