-- Cache invalidation: every process keeps API keys and vector stores in memory (src/infra/cache.ts) and LISTENs on
-- the channel docstore_cache. These triggers NOTIFY '<kind>:<id>' when a cached row changes or goes, whichever
-- process or job changed it; the notification is sent at commit, and not at all on rollback.
-- Not expressible in schema.prisma.

-- API keys are cached by the SHA-256 of their secret (a hash of 256 random bits: not a secret itself).
CREATE FUNCTION docstore_api_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('docstore_cache', 'key:' || OLD."secret_hash");
    RETURN NULL;
END $$;

-- Any change but the throttled last_used_at write (which no cache holds: it would evict every key once a minute).
CREATE TRIGGER "api_keys_cache_update" AFTER UPDATE ON "api_keys"
    FOR EACH ROW
    WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
    EXECUTE FUNCTION docstore_api_key_changed();
CREATE TRIGGER "api_keys_cache_delete" AFTER DELETE ON "api_keys"
    FOR EACH ROW EXECUTE FUNCTION docstore_api_key_changed();

-- A vector store is cached with its embedding model: a change of either evicts it (index builds update the store
-- row too, from whichever process runs the job).
CREATE FUNCTION docstore_vector_store_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('docstore_cache', 'store:' || OLD."id");
    RETURN NULL;
END $$;

CREATE TRIGGER "vector_stores_cache" AFTER UPDATE OR DELETE ON "vector_stores"
    FOR EACH ROW EXECUTE FUNCTION docstore_vector_store_changed();

CREATE FUNCTION docstore_embed_model_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('docstore_cache', 'model:' || OLD."id");
    RETURN NULL;
END $$;

CREATE TRIGGER "embed_models_cache" AFTER UPDATE OR DELETE ON "embed_models"
    FOR EACH ROW EXECUTE FUNCTION docstore_embed_model_changed();
