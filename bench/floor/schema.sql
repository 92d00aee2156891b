-- The floor's tables (bench/run.sh creates them on a fresh database and seeds 64 accounts with keys
-- 'floor-key-<n>'): accounts, their keys stored as SHA-256 hex as the service stores them, and one-row writes.
CREATE TABLE floor_accounts (
    id       uuid PRIMARY KEY,
    name     varchar(200)   NOT NULL,
    balance  numeric(19, 2) NOT NULL
);
CREATE TABLE floor_api_keys (
    id          uuid PRIMARY KEY,
    account_id  uuid     NOT NULL REFERENCES floor_accounts (id),
    key_hash    char(64) NOT NULL CONSTRAINT floor_api_keys_hash_unique UNIQUE,
    revoked_at  timestamptz
);
CREATE TABLE floor_writes (
    id           varchar(64) PRIMARY KEY,
    account_id   uuid        NOT NULL,
    bytes        bigint      NOT NULL,
    received_at  timestamptz NOT NULL
);
INSERT INTO floor_accounts (id, name, balance)
SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid, 'floor-' || n, 1000.00
FROM generate_series(1, 64) n;
INSERT INTO floor_api_keys (id, account_id, key_hash)
SELECT gen_random_uuid(), ('00000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid,
       encode(sha256(convert_to('floor-key-' || n, 'UTF8')), 'hex')
FROM generate_series(1, 64) n;
