-- Devices, traffic packages, their bindings and metered usage (SPEC §3).

CREATE TABLE traffic_devices (
    id              uuid PRIMARY KEY,
    account_id      uuid         NOT NULL REFERENCES accounts (id),
    name            varchar(200) NOT NULL,
    overage_policy  varchar(16)  NOT NULL CONSTRAINT traffic_devices_policy CHECK (overage_policy IN ('PAY_AS_YOU_GO', 'CUT_OFF')),
    created_at      timestamptz  NOT NULL,
    seq             bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX traffic_devices_account ON traffic_devices (account_id, seq DESC);

CREATE TABLE traffic_packages (
    id               uuid PRIMARY KEY,
    seq              bigint GENERATED ALWAYS AS IDENTITY,
    account_id       uuid           NOT NULL REFERENCES accounts (id),
    type             varchar(32)    NOT NULL,
    region           varchar(16)    NOT NULL CONSTRAINT traffic_packages_region CHECK (region IN ('GUANGZHOU', 'SILICON_VALLEY')),
    status           varchar(16)    NOT NULL CONSTRAINT traffic_packages_status CHECK (status IN ('ACTIVE', 'EXHAUSTED', 'EXPIRED', 'UNSUBSCRIBED')),
    capacity_bytes   bigint         NOT NULL CONSTRAINT traffic_packages_capacity_positive CHECK (capacity_bytes > 0),
    -- the backstop of "a package never gives more than its capacity", whatever runs concurrently
    used_bytes       bigint         NOT NULL CONSTRAINT traffic_packages_used_within_capacity CHECK (used_bytes BETWEEN 0 AND capacity_bytes),
    max_devices      integer        NOT NULL,
    auto_renew       boolean        NOT NULL,
    -- list price of the current type in this cycle
    price            numeric(19, 2) NOT NULL,
    -- what was paid for this cycle: the purchase (or renewal) plus upgrades; the base of the unsubscribe refund
    paid             numeric(19, 2) NOT NULL,
    valid_from       timestamptz    NOT NULL,
    valid_until      timestamptz    NOT NULL,
    ended_at         timestamptz,
    pending_type     varchar(32),
    pending_devices  uuid[],
    renewal_failure  varchar(32),
    -- one successor per package, whatever renews it (exhaustion, expiry, the customer) and however often
    predecessor_id   uuid CONSTRAINT traffic_packages_one_successor UNIQUE REFERENCES traffic_packages (id),
    deleted_at       timestamptz,
    created_at       timestamptz    NOT NULL
);
CREATE INDEX traffic_packages_account ON traffic_packages (account_id, seq DESC) WHERE deleted_at IS NULL;
CREATE INDEX traffic_packages_due ON traffic_packages (valid_until) WHERE status = 'ACTIVE';

CREATE TABLE traffic_bindings (
    package_id  uuid        NOT NULL REFERENCES traffic_packages (id),
    device_id   uuid        NOT NULL REFERENCES traffic_devices (id),
    bound_at    timestamptz NOT NULL,
    -- set when an unsubscribe ends the package early and releases its devices
    unbound_at  timestamptz,
    PRIMARY KEY (package_id, device_id)
);
CREATE INDEX traffic_bindings_device ON traffic_bindings (device_id);

-- One row per metering record id ever applied: its primary key makes ingestion exactly-once (a batch claims its
-- records with INSERT … ON CONFLICT DO NOTHING, then writes how each claimed record was split).
CREATE TABLE traffic_usage_records (
    id              varchar(64)    PRIMARY KEY,
    account_id      uuid           NOT NULL,
    device_id       uuid           NOT NULL,
    region          varchar(16)    NOT NULL,
    bytes           bigint         NOT NULL CONSTRAINT traffic_usage_records_bytes_positive CHECK (bytes > 0),
    occurred_at     timestamptz    NOT NULL,
    received_at     timestamptz    NOT NULL,
    -- the last package that offset part of the record (the successor when the record flowed into one)
    package_id      uuid,
    package_bytes   bigint,
    payg_bytes      bigint,
    blocked_bytes   bigint,
    -- price per GB of the pay-as-you-go part at ingestion time, so a later price change does not rewrite bills
    payg_unit_price numeric(19, 2),
    CONSTRAINT traffic_usage_records_split CHECK (package_bytes IS NULL OR package_bytes + payg_bytes + blocked_bytes = bytes)
);
CREATE INDEX traffic_usage_records_device ON traffic_usage_records (device_id, occurred_at);
CREATE INDEX traffic_usage_records_account ON traffic_usage_records (account_id, occurred_at);

-- How each record was split over packages (a record that exhausts a package and flows into its successor has two).
CREATE TABLE traffic_usage_allocations (
    record_id   varchar(64) NOT NULL,
    package_id  uuid        NOT NULL,
    bytes       bigint      NOT NULL CONSTRAINT traffic_usage_allocations_positive CHECK (bytes > 0),
    PRIMARY KEY (record_id, package_id)
);
CREATE INDEX traffic_usage_allocations_package ON traffic_usage_allocations (package_id);
