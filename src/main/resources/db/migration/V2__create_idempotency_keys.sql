-- Stored responses of Idempotency-Key requests (SPEC §1), scoped by the caller's API key.
CREATE TABLE idempotency_keys (
    scope            varchar(64)  NOT NULL,
    idempotency_key  varchar(255) NOT NULL,
    fingerprint      char(64)     NOT NULL,
    response_status  smallint     NOT NULL,
    content_type     varchar(200),
    location         varchar(2000),
    response_body    bytea        NOT NULL,
    created_at       timestamptz  NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
