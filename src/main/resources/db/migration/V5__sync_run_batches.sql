-- What each committed batch of a run did (one row per page a sync wrote). batch_count numbers them:
-- the statement that adds a batch's counts to its run increments it and inserts the batch row.
ALTER TABLE sync_runs ADD COLUMN batch_count integer NOT NULL DEFAULT 0;

CREATE TABLE sync_run_batches (
    run_id        uuid NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    sequence      integer NOT NULL,
    fetched       integer NOT NULL,
    ingested      integer NOT NULL,
    skipped       integer NOT NULL,
    failed        integer NOT NULL,
    committed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, sequence)
);

-- GET /api/v1/sync-runs: a workspace's runs, newest first.
CREATE INDEX sync_runs_workspace_idx ON sync_runs (workspace_id, queued_at DESC, position DESC);

-- The latest finished run of each (integration, object): what an integration's health is judged by,
-- read without scanning its run history. Kept by a trigger, so every way a run ends (finished,
-- skipped, interrupted, cancelled) moves it, whichever code path ended the run.
CREATE TABLE sync_object_last_runs (
    integration_id  uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    object_type     text NOT NULL,
    run_id          uuid NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    queued_at       timestamptz NOT NULL,
    PRIMARY KEY (integration_id, object_type)
);

CREATE FUNCTION sync_object_last_run() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sync_object_last_runs (integration_id, object_type, run_id, queued_at)
    VALUES (NEW.integration_id, NEW.object_type, NEW.id, NEW.queued_at)
    ON CONFLICT (integration_id, object_type) DO UPDATE SET run_id = excluded.run_id, queued_at = excluded.queued_at
        WHERE sync_object_last_runs.queued_at <= excluded.queued_at;
    RETURN NULL;
END
$$;

CREATE TRIGGER sync_run_finished AFTER UPDATE OF finished_at ON sync_runs
    FOR EACH ROW WHEN (OLD.finished_at IS NULL AND NEW.finished_at IS NOT NULL)
    EXECUTE FUNCTION sync_object_last_run();

CREATE TRIGGER sync_run_inserted_finished AFTER INSERT ON sync_runs
    FOR EACH ROW WHEN (NEW.finished_at IS NOT NULL)
    EXECUTE FUNCTION sync_object_last_run();

INSERT INTO sync_object_last_runs (integration_id, object_type, run_id, queued_at)
SELECT DISTINCT ON (integration_id, object_type) integration_id, object_type, id, queued_at
FROM sync_runs WHERE finished_at IS NOT NULL
ORDER BY integration_id, object_type, queued_at DESC, position DESC;
