-- Alerts that tell customers before it hurts (docs/alerts.md): each account's alert settings, the state of its
-- balance against its low-balance threshold, and one row per alert sent, whose unique key is what makes every alert
-- exactly once — whichever instance, run, rerun or concurrent transaction tries to send it again.
-- (V44, not V43: the production work holds V43.)

-- What an account saved; an account without a row has the defaults of alert_settings_in_force.
CREATE TABLE alert_settings (
    account_id                  uuid PRIMARY KEY REFERENCES accounts (id),
    traffic_usage_thresholds    smallint[]     NOT NULL
        CONSTRAINT alert_settings_thresholds CHECK (cardinality(traffic_usage_thresholds) <= 5
            AND 1 <= ALL (traffic_usage_thresholds) AND 100 >= ALL (traffic_usage_thresholds)),
    expiry_reminder_days        smallint[]     NOT NULL
        CONSTRAINT alert_settings_days CHECK (cardinality(expiry_reminder_days) <= 5
            AND 1 <= ALL (expiry_reminder_days) AND 30 >= ALL (expiry_reminder_days)),
    postpaid_monthly_threshold  numeric(19, 2) CONSTRAINT alert_settings_postpaid_positive CHECK (postpaid_monthly_threshold > 0),
    updated_at                  timestamptz    NOT NULL
);

-- The low-balance threshold and the OK/LOW state live on the account's row: the one statement that moves the balance
-- (the ledger's UPDATE, under the row's lock) reads the threshold and moves the state from the row's latest version,
-- so a debit racing a settings change can neither miss nor repeat a transition.
ALTER TABLE accounts
    ADD COLUMN low_balance_threshold numeric(19, 2)
        CONSTRAINT accounts_low_balance_threshold_positive CHECK (low_balance_threshold > 0),
    -- LOW: the account's last balance alert was account.balance_low (only the ledger moves it, and only with an alert)
    ADD COLUMN balance_low boolean NOT NULL DEFAULT false;

-- The settings in force for every account, defaults included: the one place the defaults are written down, read by
-- the settings endpoint and joined by the statements that send alerts.
CREATE VIEW alert_settings_in_force AS
SELECT a.id                                                          AS account_id,
       coalesce(s.traffic_usage_thresholds, CAST('{80,100}' AS smallint[])) AS traffic_usage_thresholds,
       coalesce(s.expiry_reminder_days, CAST('{7,3,1}' AS smallint[]))     AS expiry_reminder_days,
       a.low_balance_threshold,
       s.postpaid_monthly_threshold
FROM accounts a
LEFT JOIN alert_settings s ON s.account_id = a.id;

-- traffic_package.usage_threshold_reached: once per package cycle (a package row is one cycle) and threshold.
CREATE TABLE traffic_package_usage_alerts (
    package_id  uuid        NOT NULL REFERENCES traffic_packages (id),
    threshold   smallint    NOT NULL CONSTRAINT traffic_package_usage_alerts_percent CHECK (threshold BETWEEN 1 AND 100),
    reached_at  timestamptz NOT NULL,
    PRIMARY KEY (package_id, threshold)
);

-- traffic_package.expiring: once per package cycle and reminder day (also the ones skipped by a later reminder are
-- never sent: a reminder is due only while no reminder with as few days left or fewer was sent for the cycle).
CREATE TABLE traffic_package_expiry_reminders (
    package_id  uuid        NOT NULL REFERENCES traffic_packages (id),
    days_left   smallint    NOT NULL CONSTRAINT traffic_package_expiry_reminders_days CHECK (days_left BETWEEN 1 AND 30),
    sent_at     timestamptz NOT NULL,
    PRIMARY KEY (package_id, days_left)
);

-- bandwidth_plan.expiring: once per subscription, term end (a renewal moves expires_at: a new cycle) and day.
CREATE TABLE bandwidth_plan_expiry_reminders (
    plan_id     uuid        NOT NULL REFERENCES bandwidth_plans (id),
    ends_at     timestamptz NOT NULL,
    days_left   smallint    NOT NULL CONSTRAINT bandwidth_plan_expiry_reminders_days CHECK (days_left BETWEEN 1 AND 30),
    sent_at     timestamptz NOT NULL,
    PRIMARY KEY (plan_id, ends_at, days_left)
);

-- The running total of each account's postpaid charges per bill month (the first day of the month in billing.zone),
-- exact (quantity × unit price, not rounded): what account.postpaid_threshold_reached compares with the threshold.
CREATE TABLE postpaid_months (
    account_id  uuid    NOT NULL REFERENCES accounts (id),
    month       date    NOT NULL,
    due         numeric NOT NULL CONSTRAINT postpaid_months_due_not_negative CHECK (due >= 0),
    PRIMARY KEY (account_id, month)
);

-- account.postpaid_threshold_reached: once per account and month.
CREATE TABLE postpaid_threshold_alerts (
    account_id    uuid           NOT NULL REFERENCES accounts (id),
    month         date           NOT NULL,
    threshold     numeric(19, 2) NOT NULL,
    postpaid_due  numeric        NOT NULL,
    reached_at    timestamptz    NOT NULL,
    PRIMARY KEY (account_id, month)
);

-- The months already under way start from the charges already recorded: V45 (a Java migration) fills
-- postpaid_months, computing each amount where every postpaid amount is computed (PostpaidUnit).

-- The customer's settings are state like any other: audited by V30's trigger function, which now falls back to a
-- row's account_id as its resource (alert_settings has no id of its own); otherwise the function is V30's, secrets
-- and key hashes still stripped.
CREATE OR REPLACE FUNCTION audit_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO audit_log (actor, request_id, table_name, operation, resource_id, row_data)
        SELECT audit_actor(), audit_request_id(), TG_TABLE_NAME, TG_OP,
               coalesce(r.data ->> 'id', r.data ->> 'plan_id', r.data ->> 'package_id',
                        r.data ->> 'office_network_id', r.data ->> 'account_id'), r.data
        FROM (SELECT to_jsonb(o) - 'key_hash' - 'secret' - 'previous_secret' AS data FROM old_rows o) r;
    ELSE
        INSERT INTO audit_log (actor, request_id, table_name, operation, resource_id, row_data)
        SELECT audit_actor(), audit_request_id(), TG_TABLE_NAME, TG_OP,
               coalesce(r.data ->> 'id', r.data ->> 'plan_id', r.data ->> 'package_id',
                        r.data ->> 'office_network_id', r.data ->> 'account_id'), r.data
        FROM (SELECT to_jsonb(n) - 'key_hash' - 'secret' - 'previous_secret' AS data FROM new_rows n) r;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER alert_settings_audit_insert AFTER INSERT ON alert_settings REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_changes();
CREATE TRIGGER alert_settings_audit_update AFTER UPDATE ON alert_settings REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_changes();
