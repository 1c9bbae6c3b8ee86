-- A connected instance of a provider (a Stripe account, a HubSpot portal, a Salesforce org).
-- Secrets live only in credentials, encrypted with AES-256-GCM by the CredentialVault; config holds
-- what may be shown. previous_credentials keep verifying until previous_valid_until (secret rotation).
CREATE TABLE integrations (
    id                    uuid PRIMARY KEY,
    workspace_id          uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider              text NOT NULL,
    name                  text NOT NULL,
    status                text NOT NULL,
    config                jsonb NOT NULL DEFAULT '{}',
    credentials           bytea,
    previous_credentials  bytea,
    previous_valid_until  timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    connected_at          timestamptz,
    disconnected_at       timestamptz,
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX integrations_workspace_idx ON integrations (workspace_id, created_at, id);

-- Every accepted webhook event, stored once per (integration, event id) before it is acknowledged.
CREATE TABLE webhook_events (
    id               bigserial PRIMARY KEY,
    workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    integration_id   uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    event_id         text NOT NULL,
    type             text NOT NULL,
    event_created    timestamptz NOT NULL,
    -- The body exactly as Stripe sent and signed it (validated JSON), so it can be re-verified and audited.
    payload          text NOT NULL,
    status           text NOT NULL DEFAULT 'received',
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    received_at      timestamptz NOT NULL DEFAULT now(),
    processed_at     timestamptz,
    CONSTRAINT webhook_events_once UNIQUE (integration_id, event_id)
);

-- The worker's queue: events still to (re)process, in due order.
CREATE INDEX webhook_events_due_idx ON webhook_events (next_attempt_at) WHERE status IN ('received', 'failed');
CREATE INDEX webhook_events_workspace_idx ON webhook_events (workspace_id, id);

-- One row per processing attempt of an event: its history. attempt is the event's attempt count at
-- the time; a replay starts that count again, so it is not a key.
CREATE TABLE webhook_event_attempts (
    id           bigserial PRIMARY KEY,
    event_id     bigint NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    attempt      integer NOT NULL,
    outcome      text NOT NULL,
    error        text,
    attempted_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX webhook_event_attempts_event_idx ON webhook_event_attempts (event_id, id);
