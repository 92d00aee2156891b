-- Events for other billing services (issue 7): a transactional outbox written by the database itself.
--
-- Every event is inserted by a trigger on the table whose change it reports, inside the statement that made the
-- change: no event without its change, no change without its event, whichever code path (a request, a usage batch,
-- the lifecycle job, a crash-recovering worker) made it.
--
-- Ordering: each event records the id of the transaction that wrote it (xid8) and a sequence number. The feed orders
-- by (tx, seq) and only hands out events of transactions older than the oldest transaction still running
-- (pg_snapshot_xmin(pg_current_snapshot())): any event not yet handed out belongs to a transaction at or above that
-- horizon, so it sorts after every cursor already given — a late commit can delay an event, never let a cursor skip it.

-- The deployment's currency, for money in payloads; written at start-up from billing.currency.
CREATE TABLE billing_settings (
    id        smallint PRIMARY KEY CONSTRAINT billing_settings_single_row CHECK (id = 1),
    currency  char(3) NOT NULL
);
INSERT INTO billing_settings (id, currency) VALUES (1, 'CNY');

CREATE TABLE events (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tx             xid8         NOT NULL DEFAULT pg_current_xact_id(),
    seq            bigint       GENERATED ALWAYS AS IDENTITY,
    type           varchar(64)  NOT NULL,
    version        smallint     NOT NULL DEFAULT 1,
    account_id     uuid         NOT NULL,
    resource_type  varchar(32)  NOT NULL,
    resource_id    uuid         NOT NULL,
    -- the service clock (the adjustable test clock included) at the change
    occurred_at    timestamptz  NOT NULL,
    payload        jsonb        NOT NULL,
    actor          varchar(64)  NOT NULL DEFAULT audit_actor(),
    request_id     varchar(128)          DEFAULT audit_request_id()
);
CREATE INDEX events_position ON events (tx, seq);
CREATE INDEX events_account_position ON events (account_id, tx, seq);

CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();

-- Helpers that shape payloads the way the API shapes resources.
CREATE FUNCTION event_time(at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

CREATE FUNCTION event_money(amount numeric) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN amount IS NULL THEN 'null'::jsonb
                ELSE jsonb_build_object('amount', to_char(amount, 'FM999999999999999990.00'),
                                        'currency', (SELECT currency FROM billing_settings WHERE id = 1)) END
$$;

-- The service clock as the database sees it: its own time plus the test clock's offset (zero in production).
CREATE FUNCTION event_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT clock_timestamp() + (SELECT offset_micros FROM billing_clock WHERE id = 1) * interval '1 microsecond'
$$;

CREATE FUNCTION traffic_package_payload(p traffic_packages) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', p.id, 'type', p.type, 'region', p.region, 'status', p.status,
        'capacityBytes', p.capacity_bytes, 'usedBytes', p.used_bytes,
        'remainingBytes', p.capacity_bytes - p.used_bytes, 'maxDevices', p.max_devices,
        'deviceIds', coalesce((SELECT jsonb_agg(b.device_id ORDER BY b.bound_at, b.device_id) FROM traffic_bindings b
                               WHERE b.package_id = p.id AND b.unbound_at IS NULL), '[]'::jsonb),
        'autoRenew', p.auto_renew, 'price', event_money(p.price),
        'validFrom', event_time(p.valid_from), 'validUntil', event_time(p.valid_until),
        'renewalFailure', p.renewal_failure, 'predecessorId', p.predecessor_id,
        'createdAt', event_time(p.created_at))
$$;

CREATE FUNCTION bandwidth_plan_payload(p bandwidth_plans) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', p.id, 'region', p.region, 'paymentType', p.payment_type, 'chargeType', p.charge_type,
        'duration', CASE WHEN p.duration_unit IS NULL THEN NULL
                         ELSE jsonb_build_object('unit', p.duration_unit, 'count', p.duration_count) END,
        'autoRenew', p.auto_renew, 'peakBandwidthMbps', p.peak_mbps, 'status', p.status,
        'officeNetworkId', p.office_network_id, 'ipAddress', host(p.ip_address),
        'createdAt', event_time(p.created_at), 'expiresAt', event_time(p.expires_at))
$$;

CREATE FUNCTION emit_event(event_type text, account uuid, resource_type text, resource uuid, payload jsonb)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO events (type, account_id, resource_type, resource_id, occurred_at, payload)
    VALUES (event_type, account, resource_type, resource, event_now(), payload)
$$;

-- Traffic packages ------------------------------------------------------------------------------------------------

-- A purchase and a renewal insert a package; its bindings are inserted after it in the same transaction, so the
-- event waits for the end of the transaction (a deferred constraint trigger) to carry the devices it was bought for.
CREATE FUNCTION traffic_package_created_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p traffic_packages;
BEGIN
    SELECT * INTO p FROM traffic_packages WHERE id = NEW.id;
    IF FOUND THEN
        PERFORM emit_event(CASE WHEN p.predecessor_id IS NULL THEN 'traffic_package.purchased'
                                ELSE 'traffic_package.renewed' END,
                           p.account_id, 'TRAFFIC_PACKAGE', p.id, traffic_package_payload(p));
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER traffic_packages_created_event AFTER INSERT ON traffic_packages
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION traffic_package_created_event();

-- Status changes are set-based (a usage batch exhausts many packages in one statement): one INSERT … SELECT per
-- statement over the transition tables.
CREATE FUNCTION traffic_package_changed_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (type, account_id, resource_type, resource_id, occurred_at, payload)
    SELECT e.type, n.account_id, 'TRAFFIC_PACKAGE', n.id, event_now(), traffic_package_payload(n)
    FROM new_rows n
    JOIN old_rows o ON o.id = n.id
    CROSS JOIN LATERAL (VALUES
        (CASE WHEN n.status = 'EXHAUSTED' AND o.status <> 'EXHAUSTED' THEN 'traffic_package.exhausted' END),
        (CASE WHEN n.status = 'EXPIRED' AND o.status <> 'EXPIRED' THEN 'traffic_package.expired' END),
        (CASE WHEN n.renewal_failure IS NOT NULL AND o.renewal_failure IS DISTINCT FROM n.renewal_failure
              THEN 'traffic_package.renewal_failed' END)) AS e (type)
    WHERE e.type IS NOT NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER traffic_packages_changed_events AFTER UPDATE ON traffic_packages
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION traffic_package_changed_events();

-- Binding more devices to a live package (purchase-time bindings are part of the purchase event).
CREATE FUNCTION traffic_package_bound_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (type, account_id, resource_type, resource_id, occurred_at, payload)
    SELECT 'traffic_package.bound', p.account_id, 'TRAFFIC_PACKAGE', p.id, event_now(),
           traffic_package_payload(p) || jsonb_build_object('boundDeviceIds', b.devices)
    FROM (SELECT package_id, jsonb_agg(device_id ORDER BY device_id) AS devices FROM new_rows GROUP BY package_id) b
    JOIN traffic_packages p ON p.id = b.package_id
    -- bindings stamped no later than the package's creation are the purchase's or renewal's own (they are inserted
    -- with the cycle's start); a later bind is stamped with its own, later time
    WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.package_id = p.id AND n.bound_at <= p.created_at);
    RETURN NULL;
END
$$;
CREATE TRIGGER traffic_bindings_bound_events AFTER INSERT ON traffic_bindings
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION traffic_package_bound_events();

-- Pay-as-you-go traffic accrued by a usage batch: one event per device and unit price of the statement.
CREATE FUNCTION traffic_charge_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (type, account_id, resource_type, resource_id, occurred_at, payload)
    SELECT 'charge.accrued', c.account_id, 'DEVICE', c.device_id, event_now(),
           jsonb_build_object('kind', 'PAYG_TRAFFIC', 'resourceType', 'DEVICE', 'resourceId', c.device_id,
                              'quantity', c.bytes, 'unit', 'BYTE', 'unitPrice', event_money(c.unit_price),
                              'unitPriceFor', 'GB', 'amount', event_money(c.bytes * c.unit_price / 1073741824.0),
                              'recordIds', c.records)
    FROM (SELECT account_id, device_id, payg_unit_price AS unit_price, sum(payg_bytes) AS bytes,
                 jsonb_agg(id ORDER BY id) AS records
          FROM new_rows WHERE payg_bytes > 0
          GROUP BY account_id, device_id, payg_unit_price) c;
    RETURN NULL;
END
$$;
CREATE TRIGGER traffic_usage_records_charge_events AFTER INSERT ON traffic_usage_records
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION traffic_charge_events();

-- Bandwidth plans -------------------------------------------------------------------------------------------------

CREATE FUNCTION bandwidth_plan_created_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (type, account_id, resource_type, resource_id, occurred_at, payload)
    SELECT 'bandwidth_plan.purchased', n.account_id, 'BANDWIDTH_PLAN', n.id, event_now(), bandwidth_plan_payload(n)
    FROM new_rows n;
    RETURN NULL;
END
$$;
CREATE TRIGGER bandwidth_plans_created_events AFTER INSERT ON bandwidth_plans
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bandwidth_plan_created_events();

CREATE FUNCTION bandwidth_plan_changed_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (type, account_id, resource_type, resource_id, occurred_at, payload)
    SELECT e.type, n.account_id, 'BANDWIDTH_PLAN', n.id, event_now(),
           bandwidth_plan_payload(n) || e.extra
    FROM new_rows n
    JOIN old_rows o ON o.id = n.id
    CROSS JOIN LATERAL (VALUES
        (CASE WHEN n.status = 'IN_USE' AND o.status <> 'IN_USE' THEN 'bandwidth_plan.associated' END, '{}'::jsonb),
        (CASE WHEN o.office_network_id IS NOT NULL AND n.office_network_id IS NULL
                   AND n.status = 'NOT_ASSOCIATED' THEN 'bandwidth_plan.dissociated' END,
         jsonb_build_object('previousOfficeNetworkId', o.office_network_id)),
        (CASE WHEN n.peak_mbps <> o.peak_mbps THEN 'bandwidth_plan.changed' END,
         jsonb_build_object('previousPeakBandwidthMbps', o.peak_mbps)),
        (CASE WHEN n.expires_at > o.expires_at THEN 'bandwidth_plan.renewed' END,
         jsonb_build_object('previousExpiresAt', event_time(o.expires_at))),
        (CASE WHEN n.status = 'EXPIRED' AND o.status <> 'EXPIRED' THEN 'bandwidth_plan.expired' END, '{}'::jsonb),
        (CASE WHEN n.status = 'UNSUBSCRIBED' AND o.status <> 'UNSUBSCRIBED' THEN 'bandwidth_plan.unsubscribed' END,
         '{}'::jsonb),
        (CASE WHEN n.status = 'DELETED' AND o.status <> 'DELETED' THEN 'bandwidth_plan.deleted' END, '{}'::jsonb))
        AS e (type, extra)
    WHERE e.type IS NOT NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER bandwidth_plans_changed_events AFTER UPDATE ON bandwidth_plans
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bandwidth_plan_changed_events();

-- Hourly pay-as-you-go charges: one event per plan and hour billed.
CREATE FUNCTION bandwidth_charge_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (type, account_id, resource_type, resource_id, occurred_at, payload)
    SELECT 'charge.accrued', n.account_id, 'BANDWIDTH_PLAN', n.plan_id, event_now(),
           jsonb_build_object('kind', CASE n.charge_type WHEN 'PAY_BY_BANDWIDTH' THEN 'BANDWIDTH_HOURS'
                                                         ELSE 'INBOUND_TRAFFIC' END,
                              'resourceType', 'BANDWIDTH_PLAN', 'resourceId', n.plan_id,
                              'hourStart', event_time(n.hour_start), 'quantity', n.quantity,
                              'unit', CASE n.charge_type WHEN 'PAY_BY_BANDWIDTH' THEN 'MBPS_HOUR' ELSE 'BYTE' END,
                              'unitPrice', event_money(n.unit_price),
                              'amount', event_money(CASE n.charge_type WHEN 'PAY_BY_BANDWIDTH'
                                                         THEN n.quantity * n.unit_price
                                                         ELSE n.quantity * n.unit_price / 1073741824.0 END))
    FROM new_rows n;
    RETURN NULL;
END
$$;
CREATE TRIGGER bandwidth_hourly_charges_events AFTER INSERT ON bandwidth_hourly_charges
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bandwidth_charge_events();

-- Money -----------------------------------------------------------------------------------------------------------

CREATE FUNCTION ledger_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (type, account_id, resource_type, resource_id, occurred_at, payload)
    SELECT CASE n.kind WHEN 'CREDIT' THEN 'credit.created' ELSE 'refund.created' END, n.account_id,
           'LEDGER_ENTRY', n.id, event_now(),
           jsonb_build_object('id', n.id, 'at', event_time(n.posted_at), 'kind', n.kind,
                              'amount', event_money(n.amount), 'balanceAfter', event_money(n.balance_after),
                              'resourceType', n.resource_type, 'resourceId', n.resource_id,
                              'description', n.description, 'reference', n.reference)
    FROM new_rows n
    WHERE n.kind IN ('CREDIT', 'REFUND');
    RETURN NULL;
END
$$;
CREATE TRIGGER ledger_entries_events AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_events();
