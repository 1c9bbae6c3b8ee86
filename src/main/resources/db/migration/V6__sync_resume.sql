-- A job queued to go on with an interrupted one (trigger 'resume'). The unique index makes "resume
-- it" happen once, whichever node notices the interruption first.
ALTER TABLE sync_jobs ADD COLUMN resumes uuid REFERENCES sync_jobs (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX sync_jobs_one_resume ON sync_jobs (resumes);
-- When the request a chain of resumes goes on with was made: a cursor saved since then is its own
-- progress, which the resume continues from (rather than from its backfill's start).
ALTER TABLE sync_jobs ADD COLUMN progress_since timestamptz;
-- The Quartz fire time a scheduled job was queued for (recorded by the HubSpot schedule).
ALTER TABLE sync_jobs ADD COLUMN scheduled_for timestamptz;
-- How many times this sync has been started: 1, then one more per resume (resumes are capped).
ALTER TABLE sync_jobs ADD COLUMN attempt integer NOT NULL DEFAULT 1;
-- Every node looks for interrupted jobs on each tick; a job resumed (status 'resumed') or given up
-- ('abandoned') leaves this index, so it holds only the few waiting.
CREATE INDEX sync_jobs_interrupted ON sync_jobs (created_at) WHERE status = 'interrupted';
CREATE INDEX sync_jobs_lane_idx ON sync_jobs (integration_id, lane, created_at);
