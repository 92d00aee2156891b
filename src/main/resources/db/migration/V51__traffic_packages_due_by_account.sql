-- The expiry step claims due packages an account at a time (docs/operations.md): this index serves its claim, which
-- walks active packages by account and finds each account's first due package.
CREATE INDEX traffic_packages_active_by_account ON traffic_packages (account_id, id) WHERE status = 'ACTIVE';
