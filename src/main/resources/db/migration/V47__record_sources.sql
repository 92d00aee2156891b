-- Where each ingested record came from (docs/traffic-packages.md, usage ingestion; docs/bandwidth-plans.md, samples):
-- http:<request id> for a record posted over HTTP, kafka:<topic>/<partition>@<offset> for one read from Kafka. One
-- transaction may apply the records of several requests (coalesced single-record requests) or of a polled batch of
-- messages, so the source is kept on each row rather than taken from the transaction's audit stamp. Null on rows
-- stored before it was kept.
ALTER TABLE traffic_usage_records ADD COLUMN source text;
ALTER TABLE bandwidth_samples ADD COLUMN source text;
