-- Tenants. Every row below belongs to exactly one workspace.
CREATE TABLE workspaces (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- API keys are stored as SHA-256 of the key: the key itself is shown once and never kept.
CREATE TABLE api_keys (
    id            uuid PRIMARY KEY,
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    key_hash      text NOT NULL UNIQUE,
    key_prefix    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Custom sources a workspace registered; built-in systems (hubspot, salesforce, stripe) are not rows.
CREATE TABLE sources (
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    key           text NOT NULL,
    display_name  text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, key)
);

-- The ingest store. integration_key folds "no integration" (pushed records) into one value so the
-- upsert key is a plain unique constraint on every PostgreSQL 13+ (NULLS NOT DISTINCT needs 15).
CREATE TABLE source_records (
    id               bigserial PRIMARY KEY,
    workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    system           text NOT NULL,
    integration_id   uuid,
    integration_key  uuid GENERATED ALWAYS AS (coalesce(integration_id, '00000000-0000-0000-0000-000000000000'::uuid)) STORED,
    object_type      text NOT NULL,
    object_id        text NOT NULL,
    payload          jsonb NOT NULL,
    updated_at       timestamptz,
    deleted          boolean NOT NULL DEFAULT false,
    first_seen_at    timestamptz NOT NULL DEFAULT now(),
    last_changed_at  timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1,
    CONSTRAINT source_records_upsert_key UNIQUE (workspace_id, system, integration_key, object_type, object_id)
);

-- Keyset pagination of GET /api/v1/records walks (workspace, id).
CREATE INDEX source_records_workspace_id_idx ON source_records (workspace_id, id);
CREATE INDEX source_records_changed_idx ON source_records (workspace_id, last_changed_at);
