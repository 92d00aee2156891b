-- Office networks, cloud phones, bandwidth plans with their IP pool, terms, peak and association history,
-- speed-limit rules, bandwidth samples and hourly pay-as-you-go charges (SPEC §4).

CREATE TABLE office_networks (
    id          uuid PRIMARY KEY,
    account_id  uuid         NOT NULL REFERENCES accounts (id),
    name        varchar(200) NOT NULL,
    region      varchar(64)  NOT NULL,
    created_at  timestamptz  NOT NULL
);
CREATE INDEX office_networks_account ON office_networks (account_id, created_at DESC, id DESC);

CREATE TABLE cloud_phones (
    id                 uuid PRIMARY KEY,
    account_id         uuid         NOT NULL REFERENCES accounts (id),
    office_network_id  uuid         NOT NULL REFERENCES office_networks (id),
    name               varchar(200) NOT NULL,
    created_at         timestamptz  NOT NULL
);
CREATE INDEX cloud_phones_account ON cloud_phones (account_id, created_at DESC, id DESC);
CREATE INDEX cloud_phones_network ON cloud_phones (office_network_id);

CREATE TABLE bandwidth_plans (
    id                 uuid PRIMARY KEY,
    account_id         uuid        NOT NULL REFERENCES accounts (id),
    region             varchar(64) NOT NULL,
    payment_type       varchar(16) NOT NULL CONSTRAINT bandwidth_plans_payment_type
                           CHECK (payment_type IN ('SUBSCRIPTION', 'PAY_AS_YOU_GO')),
    charge_type        varchar(16) CONSTRAINT bandwidth_plans_charge_type
                           CHECK (charge_type IN ('PAY_BY_BANDWIDTH', 'PAY_BY_TRAFFIC')),
    duration_unit      varchar(8)  CONSTRAINT bandwidth_plans_duration_unit CHECK (duration_unit IN ('WEEK', 'MONTH', 'YEAR')),
    duration_count     smallint,
    auto_renew         boolean     NOT NULL,
    peak_mbps          integer     NOT NULL CONSTRAINT bandwidth_plans_peak CHECK (peak_mbps BETWEEN 2 AND 1000),
    status             varchar(16) NOT NULL CONSTRAINT bandwidth_plans_status CHECK (status IN
                           ('NOT_ASSOCIATED', 'CHANGING', 'IN_USE', 'EXPIRED', 'UNSUBSCRIBED', 'DELETED')),
    office_network_id  uuid REFERENCES office_networks (id),
    ip_address         inet        NOT NULL,
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz,
    ended_at           timestamptz,
    -- pay-as-you-go: the end of the last billed hour (hours are counted from created_at)
    billed_until       timestamptz,
    CONSTRAINT bandwidth_plans_payment_fields CHECK (
        (payment_type = 'SUBSCRIPTION' AND charge_type IS NULL AND duration_unit IS NOT NULL
             AND duration_count IS NOT NULL AND expires_at IS NOT NULL AND billed_until IS NULL)
        OR (payment_type = 'PAY_AS_YOU_GO' AND charge_type IS NOT NULL AND duration_unit IS NULL
             AND duration_count IS NULL AND NOT auto_renew AND expires_at IS NULL AND billed_until IS NOT NULL)),
    CONSTRAINT bandwidth_plans_associated_only_live CHECK (
        office_network_id IS NULL OR status IN ('NOT_ASSOCIATED', 'CHANGING', 'IN_USE')),
    CONSTRAINT bandwidth_plans_association_status CHECK (
        (status IN ('CHANGING', 'IN_USE')) = (office_network_id IS NOT NULL))
);
-- one plan per network, one address per live plan: the database settles every race
CREATE UNIQUE INDEX bandwidth_plans_one_per_network ON bandwidth_plans (office_network_id)
    WHERE office_network_id IS NOT NULL;
CREATE UNIQUE INDEX bandwidth_plans_live_ip ON bandwidth_plans (ip_address)
    WHERE status IN ('NOT_ASSOCIATED', 'CHANGING', 'IN_USE');
CREATE INDEX bandwidth_plans_account ON bandwidth_plans (account_id, created_at DESC, id DESC);
CREATE INDEX bandwidth_plans_changing ON bandwidth_plans (id) WHERE status = 'CHANGING';
CREATE INDEX bandwidth_plans_expiring ON bandwidth_plans (expires_at)
    WHERE payment_type = 'SUBSCRIPTION' AND status IN ('NOT_ASSOCIATED', 'CHANGING', 'IN_USE');
CREATE INDEX bandwidth_plans_billing ON bandwidth_plans (billed_until)
    WHERE payment_type = 'PAY_AS_YOU_GO' AND status IN ('NOT_ASSOCIATED', 'CHANGING', 'IN_USE');

-- The exclusive public addresses. Rows are added from billing.bandwidth.ip-pool at start-up; a plan claims a free
-- row with FOR UPDATE SKIP LOCKED and gives it back when it ends.
CREATE TABLE bandwidth_ip_pool (
    address  inet PRIMARY KEY,
    plan_id  uuid CONSTRAINT bandwidth_ip_pool_plan_unique UNIQUE
);
CREATE INDEX bandwidth_ip_pool_free ON bandwidth_ip_pool (address) WHERE plan_id IS NULL;

-- Subscription terms paid for: purchase, renewals and auto-renewals. Proration and refunds read them.
CREATE TABLE bandwidth_plan_terms (
    plan_id          uuid           NOT NULL REFERENCES bandwidth_plans (id),
    starts_at        timestamptz    NOT NULL,
    ends_at          timestamptz    NOT NULL,
    -- list price of the term's duration for 1 Mbps
    price_per_mbps   numeric(19, 2) NOT NULL,
    PRIMARY KEY (plan_id, starts_at),
    CONSTRAINT bandwidth_plan_terms_order CHECK (ends_at > starts_at)
);

-- The peak in force over time: pay-by-bandwidth bills each hour at the highest peak in force in it.
CREATE TABLE bandwidth_plan_peaks (
    plan_id         uuid        NOT NULL REFERENCES bandwidth_plans (id),
    effective_from  timestamptz NOT NULL,
    effective_to    timestamptz,
    peak_mbps       integer     NOT NULL,
    PRIMARY KEY (plan_id, effective_from)
);

-- When a plan carried a network's traffic (from the moment the worker applied it to dissociation).
CREATE TABLE bandwidth_plan_associations (
    plan_id            uuid        NOT NULL REFERENCES bandwidth_plans (id),
    office_network_id  uuid        NOT NULL REFERENCES office_networks (id),
    associated_from    timestamptz NOT NULL,
    associated_to      timestamptz,
    PRIMARY KEY (plan_id, associated_from)
);
CREATE INDEX bandwidth_plan_associations_network ON bandwidth_plan_associations (office_network_id);

CREATE TABLE speed_limit_rules (
    id               uuid PRIMARY KEY,
    plan_id          uuid         NOT NULL REFERENCES bandwidth_plans (id),
    name             varchar(100) NOT NULL,
    upstream_mbps    integer      NOT NULL CONSTRAINT speed_limit_rules_upstream CHECK (upstream_mbps >= 1),
    downstream_mbps  integer      NOT NULL CONSTRAINT speed_limit_rules_downstream CHECK (downstream_mbps >= 1),
    created_at       timestamptz  NOT NULL,
    CONSTRAINT speed_limit_rules_name_unique UNIQUE (plan_id, name)
);

-- A phone is in at most one rule of a plan: the primary key says so.
CREATE TABLE speed_limit_rule_phones (
    plan_id        uuid NOT NULL,
    cloud_phone_id uuid NOT NULL REFERENCES cloud_phones (id),
    rule_id        uuid NOT NULL REFERENCES speed_limit_rules (id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, cloud_phone_id)
);
CREATE INDEX speed_limit_rule_phones_rule ON speed_limit_rule_phones (rule_id);

-- One sample per network and minute; a repeat replaces it.
CREATE TABLE bandwidth_samples (
    office_network_id  uuid        NOT NULL REFERENCES office_networks (id),
    minute             timestamptz NOT NULL,
    inbound_bytes      bigint      NOT NULL CONSTRAINT bandwidth_samples_inbound CHECK (inbound_bytes >= 0),
    outbound_bytes     bigint      NOT NULL CONSTRAINT bandwidth_samples_outbound CHECK (outbound_bytes >= 0),
    PRIMARY KEY (office_network_id, minute)
);

-- Hourly pay-as-you-go charges: the key makes billing an hour twice impossible, whatever runs concurrently.
CREATE TABLE bandwidth_hourly_charges (
    plan_id      uuid           NOT NULL REFERENCES bandwidth_plans (id),
    hour_start   timestamptz    NOT NULL,
    account_id   uuid           NOT NULL REFERENCES accounts (id),
    charge_type  varchar(16)    NOT NULL,
    -- PAY_BY_BANDWIDTH: Mbps-hours (the highest peak in force in the hour); PAY_BY_TRAFFIC: inbound bytes
    quantity     numeric(30, 0) NOT NULL CONSTRAINT bandwidth_hourly_charges_quantity CHECK (quantity >= 0),
    unit_price   numeric(19, 2) NOT NULL,
    PRIMARY KEY (plan_id, hour_start)
);
CREATE INDEX bandwidth_hourly_charges_account ON bandwidth_hourly_charges (account_id, hour_start);
