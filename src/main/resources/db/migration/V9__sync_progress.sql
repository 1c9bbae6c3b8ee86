-- When a running sync last made progress (a provider answered a page, or a batch committed), kept by
-- its node's heartbeat: a job that is heartbeating but has made no progress for tributary.sync.stall-timeout
-- is stalled, and whichever node sees it first ends it.
ALTER TABLE sync_jobs ADD COLUMN last_progress_at timestamptz;
UPDATE sync_jobs SET last_progress_at = coalesce(heartbeat_at, created_at) WHERE status = 'running';
