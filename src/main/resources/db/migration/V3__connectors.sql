-- OAuth connect flows in progress. Only the SHA-256 of a state is kept: the state itself travels in
-- the user's browser and is single-use (used_at) with a short expiry.
CREATE TABLE oauth_states (
    state_hash    text PRIMARY KEY,
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider      text NOT NULL,
    name          text,
    -- What the callback needs besides the workspace (Salesforce: login host, PKCE verifier); wiped when used.
    context       jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);

-- The provider's own id of a connected instance (HubSpot hub_id, Salesforce org id): connecting the
-- same one again in a workspace reconnects that integration instead of creating a second.
ALTER TABLE integrations ADD COLUMN external_id text;
CREATE UNIQUE INDEX integrations_external_idx ON integrations (workspace_id, provider, external_id)
    WHERE external_id IS NOT NULL;

-- Sync requests: one job per request (manual, scheduled or nightly), holding one run per object. A
-- job runs in a lane (a provider that syncs its objects independently gives each object its own
-- lane; otherwise one lane, 'all'): at most one queued or running job per (integration, lane) across
-- every node, enforced by the partial unique index. Jobs are the queue: any node's worker claims a
-- queued job; heartbeat_at shows its claimant alive.
CREATE TABLE sync_jobs (
    id              uuid PRIMARY KEY,
    workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    integration_id  uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    provider        text NOT NULL,
    lane            text NOT NULL DEFAULT 'all',
    trigger         text NOT NULL,
    options         jsonb NOT NULL DEFAULT '{}',
    status          text NOT NULL DEFAULT 'queued',
    claimed_by      text,
    heartbeat_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
CREATE UNIQUE INDEX sync_jobs_one_active ON sync_jobs (integration_id, lane) WHERE status IN ('queued', 'running');
CREATE INDEX sync_jobs_queued ON sync_jobs (created_at) WHERE status = 'queued';

-- One row per object of a sync job: what was fetched, written and failed.
CREATE TABLE sync_runs (
    id              uuid PRIMARY KEY,
    job_id          uuid REFERENCES sync_jobs (id) ON DELETE CASCADE,
    workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    integration_id  uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    provider        text NOT NULL,
    object_type     text NOT NULL,
    trigger         text NOT NULL,
    status          text NOT NULL,
    position        integer NOT NULL DEFAULT 0,
    fetched         bigint NOT NULL DEFAULT 0,
    ingested        bigint NOT NULL DEFAULT 0,
    failed          bigint NOT NULL DEFAULT 0,
    skipped         bigint NOT NULL DEFAULT 0,
    queued_at       timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    duration_ms     bigint,
    error           text
);
CREATE INDEX sync_runs_integration_idx ON sync_runs (integration_id, object_type, queued_at DESC);
CREATE INDEX sync_runs_job_idx ON sync_runs (job_id, position);

-- Where the next incremental sync of an object starts: the last committed (modification time, id).
CREATE TABLE sync_cursors (
    integration_id  uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    object_type     text NOT NULL,
    cursor_time     timestamptz NOT NULL,
    cursor_id       text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (integration_id, object_type)
);

-- Objects discovered by a catalog_only sync: shown to the user to choose from, never ingested.
CREATE TABLE integration_catalog (
    integration_id  uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    object_type     text NOT NULL,
    object_id       text NOT NULL,
    properties      jsonb NOT NULL,
    discovered_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (integration_id, object_type, object_id)
);
