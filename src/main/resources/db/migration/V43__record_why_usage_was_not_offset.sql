-- Why the bytes of a usage record that no package offset were billed pay-as-you-go or blocked
-- (docs/traffic-packages.md): NO_LIVE_PACKAGE, REGION_MISMATCH or PACKAGE_EXHAUSTED; NULL when packages offset every
-- byte, and for the records ingested before this column existed (their reason was not kept).
ALTER TABLE traffic_usage_records ADD COLUMN unoffset_reason varchar(24)
    CONSTRAINT traffic_usage_records_unoffset_reason
        CHECK (unoffset_reason IN ('NO_LIVE_PACKAGE', 'REGION_MISMATCH', 'PACKAGE_EXHAUSTED'));
