-- The write paths record their events in Java now, in the transaction of each change, and write them with their
-- webhook deliveries in one statement before it commits (docs/events.md). What V40 and V41 computed here goes; the
-- audit trail (V30) stays as it is. Events already written are left untouched.

DROP TRIGGER traffic_packages_created_event ON traffic_packages;
DROP TRIGGER traffic_packages_changed_events ON traffic_packages;
DROP TRIGGER traffic_bindings_bound_events ON traffic_bindings;
DROP TRIGGER traffic_usage_records_charge_events ON traffic_usage_records;
DROP TRIGGER bandwidth_plans_created_events ON bandwidth_plans;
DROP TRIGGER bandwidth_plans_changed_events ON bandwidth_plans;
DROP TRIGGER bandwidth_hourly_charges_events ON bandwidth_hourly_charges;
DROP TRIGGER ledger_entries_events ON ledger_entries;
DROP TRIGGER events_webhook_fan_out ON events;

DROP FUNCTION traffic_package_created_event();
DROP FUNCTION traffic_package_changed_events();
DROP FUNCTION traffic_package_bound_events();
DROP FUNCTION traffic_charge_events();
DROP FUNCTION bandwidth_plan_created_events();
DROP FUNCTION bandwidth_plan_changed_events();
DROP FUNCTION bandwidth_charge_events();
DROP FUNCTION ledger_events();
DROP FUNCTION webhook_fan_out();
DROP FUNCTION emit_event(text, uuid, text, uuid, jsonb);
DROP FUNCTION traffic_package_payload(traffic_packages);
DROP FUNCTION bandwidth_plan_payload(bandwidth_plans);
DROP FUNCTION event_money(numeric);
DROP FUNCTION event_now();
DROP FUNCTION event_time(timestamptz);

DROP TABLE billing_settings;

-- every writer states the version of the data it writes
ALTER TABLE events ALTER COLUMN version DROP DEFAULT;
