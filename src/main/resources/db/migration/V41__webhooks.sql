-- Webhooks (issue 7): endpoints an account registers, one delivery per event and endpoint, and the log of attempts.

CREATE TABLE webhook_endpoints (
    id                         uuid PRIMARY KEY,
    seq                        bigint GENERATED ALWAYS AS IDENTITY,
    account_id                 uuid          NOT NULL REFERENCES accounts (id),
    url                        varchar(2048) NOT NULL,
    -- event types delivered; '*' for all
    event_types                varchar(64)[] NOT NULL CONSTRAINT webhook_endpoints_types CHECK (cardinality(event_types) > 0),
    enabled                    boolean       NOT NULL,
    disabled_reason            varchar(32),
    -- HMAC keys: the plain secret is needed to sign, so it is stored (shown to the account once)
    secret                     varchar(80)   NOT NULL,
    previous_secret            varchar(80),
    previous_secret_expires_at timestamptz,
    consecutive_failures       integer       NOT NULL DEFAULT 0,
    created_at                 timestamptz   NOT NULL,
    deleted_at                 timestamptz
);
CREATE INDEX webhook_endpoints_account ON webhook_endpoints (account_id, seq DESC) WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    endpoint_id      uuid        NOT NULL REFERENCES webhook_endpoints (id),
    event_id         uuid        NOT NULL REFERENCES events (id),
    -- the event's feed position and resource: deliveries of one resource go out in feed order
    event_tx         xid8        NOT NULL,
    event_seq        bigint      NOT NULL,
    resource_id      uuid        NOT NULL,
    status           varchar(16) NOT NULL CONSTRAINT webhook_deliveries_status CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    -- the lease of the instance sending it right now (one instance at a time; a crashed one's lease runs out)
    locked_until     timestamptz,
    last_status_code integer,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_deliveries_once UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_resource ON webhook_deliveries (endpoint_id, resource_id, event_tx, event_seq)
    WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC);

CREATE TABLE webhook_delivery_attempts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  uuid        NOT NULL REFERENCES webhook_deliveries (id),
    attempted_at timestamptz NOT NULL,
    status_code  integer,
    duration_ms  integer     NOT NULL,
    error        varchar(500)
);
CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, id);

-- Fan-out in the event's own transaction: an event exists exactly when its deliveries do.
CREATE FUNCTION webhook_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (endpoint_id, event_id, event_tx, event_seq, resource_id, status, next_attempt_at)
    SELECT w.id, n.id, n.tx, n.seq, n.resource_id, 'PENDING', now()
    FROM new_rows n
    JOIN webhook_endpoints w ON w.account_id = n.account_id AND w.enabled AND w.deleted_at IS NULL
                             AND (n.type = ANY (w.event_types) OR '*' = ANY (w.event_types));
    RETURN NULL;
END
$$;
CREATE TRIGGER events_webhook_fan_out AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION webhook_fan_out();

-- Endpoint changes are state changes: audited like the rest (V30, which never copies the secrets).
CREATE TRIGGER webhook_endpoints_audit_insert AFTER INSERT ON webhook_endpoints REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_changes();
CREATE TRIGGER webhook_endpoints_audit_update AFTER UPDATE ON webhook_endpoints REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_changes();
