-- The audit trail (issue 6): every ledger entry and every state change records the key that caused it (the actor)
-- and the request id (X-Request-Id, or a job run's id).
--
-- The service stamps each read-write transaction with two transaction-local settings, billing.actor and
-- billing.request_id (set_config(..., true) in AuditTransactionListener), and the database does the rest:
-- column defaults on the append-only money and metering tables, statement-level triggers on every table that holds
-- state. No module has to remember to write an audit row, and none can forget.

CREATE FUNCTION audit_actor() RETURNS varchar LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('billing.actor', true), ''), 'system')
$$;

CREATE FUNCTION audit_request_id() RETURNS varchar LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('billing.request_id', true), '')
$$;

-- Money and metering facts carry their cause on the row itself.
ALTER TABLE ledger_entries
    ADD COLUMN actor      varchar(64) NOT NULL DEFAULT audit_actor(),
    ADD COLUMN request_id varchar(128)         DEFAULT audit_request_id();
ALTER TABLE bandwidth_hourly_charges
    ADD COLUMN actor      varchar(64) NOT NULL DEFAULT audit_actor(),
    ADD COLUMN request_id varchar(128)         DEFAULT audit_request_id();
ALTER TABLE traffic_usage_records
    ADD COLUMN actor      varchar(64) NOT NULL DEFAULT audit_actor(),
    ADD COLUMN request_id varchar(128)         DEFAULT audit_request_id();
ALTER TABLE bandwidth_samples
    ADD COLUMN actor      varchar(64) NOT NULL DEFAULT audit_actor(),
    ADD COLUMN request_id varchar(128)         DEFAULT audit_request_id();

CREATE INDEX ledger_entries_request ON ledger_entries (request_id) WHERE request_id IS NOT NULL;

-- Every other change of state: one row per changed row, with the row as it was written (as it was, for a delete).
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- wall-clock time of the change (not the adjustable billing clock: this is about what really happened when)
    at          timestamptz  NOT NULL DEFAULT clock_timestamp(),
    actor       varchar(64)  NOT NULL,
    request_id  varchar(128),
    table_name  varchar(63)  NOT NULL,
    operation   varchar(6)   NOT NULL CONSTRAINT audit_log_operation CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
    -- the resource the row belongs to: its own id, or for child rows the plan / package / network it hangs off
    resource_id text,
    row_data    jsonb        NOT NULL
);
CREATE INDEX audit_log_request ON audit_log (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX audit_log_resource ON audit_log (resource_id, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- One trigger function for every audited table: statement-level with transition tables, so a set-based statement
-- (a usage batch updating hundreds of packages) costs one extra INSERT ... SELECT, not one per row. Key hashes and
-- signing secrets are never copied.
CREATE FUNCTION audit_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO audit_log (actor, request_id, table_name, operation, resource_id, row_data)
        SELECT audit_actor(), audit_request_id(), TG_TABLE_NAME, TG_OP,
               coalesce(r.data ->> 'id', r.data ->> 'plan_id', r.data ->> 'package_id',
                        r.data ->> 'office_network_id'), r.data
        FROM (SELECT to_jsonb(o) - 'key_hash' - 'secret' - 'previous_secret' AS data FROM old_rows o) r;
    ELSE
        INSERT INTO audit_log (actor, request_id, table_name, operation, resource_id, row_data)
        SELECT audit_actor(), audit_request_id(), TG_TABLE_NAME, TG_OP,
               coalesce(r.data ->> 'id', r.data ->> 'plan_id', r.data ->> 'package_id',
                        r.data ->> 'office_network_id'), r.data
        FROM (SELECT to_jsonb(n) - 'key_hash' - 'secret' - 'previous_secret' AS data FROM new_rows n) r;
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    audited text;
BEGIN
    FOREACH audited IN ARRAY ARRAY[
            'accounts', 'account_api_keys', 'billing_clock',
            'traffic_devices', 'traffic_packages', 'traffic_bindings',
            'office_networks', 'cloud_phones', 'bandwidth_plans', 'bandwidth_ip_pool', 'bandwidth_plan_terms',
            'bandwidth_plan_peaks', 'bandwidth_plan_associations', 'speed_limit_rules', 'speed_limit_rule_phones']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION audit_changes()', audited || '_audit_insert', audited);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION audit_changes()', audited || '_audit_update', audited);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION audit_changes()', audited || '_audit_delete', audited);
    END LOOP;
END
$$;
