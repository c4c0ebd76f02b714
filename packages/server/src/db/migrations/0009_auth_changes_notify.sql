-- Tells every app instance (LISTEN casebook_auth) that API tokens, roles or brands changed, so
-- each forgets the API tokens it resolved recently. Sent on commit, never for a rollback.
CREATE FUNCTION casebook_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('casebook_auth', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER api_tokens_auth_changed AFTER UPDATE OF revoked_at, expires_at, role_id, brand_id, token_hash OR DELETE ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION casebook_auth_changed();
--> statement-breakpoint
CREATE TRIGGER roles_auth_changed AFTER UPDATE OR DELETE ON roles
  FOR EACH STATEMENT EXECUTE FUNCTION casebook_auth_changed();
--> statement-breakpoint
CREATE TRIGGER brands_auth_changed AFTER UPDATE OR DELETE ON brands
  FOR EACH STATEMENT EXECUTE FUNCTION casebook_auth_changed();
