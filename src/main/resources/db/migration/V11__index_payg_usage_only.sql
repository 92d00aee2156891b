-- Bills read usage records by account and month only where traffic was paid as it went; indexing just those rows keeps
-- the index small and the batch insert of usage records cheaper (most records are offset by packages).
DROP INDEX traffic_usage_records_account;
CREATE INDEX traffic_usage_records_payg ON traffic_usage_records (account_id, occurred_at) WHERE payg_bytes > 0;
