-- Accounts, their API keys and the append-only ledger (SPEC §2).

CREATE TABLE accounts (
    id          uuid PRIMARY KEY,
    name        varchar(200)   NOT NULL,
    -- the running sum of the account's ledger entries, kept in the same statement that appends each entry
    balance     numeric(19, 2) NOT NULL DEFAULT 0 CONSTRAINT accounts_balance_not_negative CHECK (balance >= 0),
    created_at  timestamptz    NOT NULL,
    version     bigint         NOT NULL
);
CREATE INDEX accounts_created ON accounts (created_at DESC, id DESC);

CREATE TABLE account_api_keys (
    id          uuid PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES accounts (id),
    -- SHA-256 of the key, hex: keys are 256 random bits, so a fast hash is enough and lookups stay indexed
    key_hash    char(64)    NOT NULL CONSTRAINT account_api_keys_hash_unique UNIQUE,
    key_prefix  varchar(16) NOT NULL,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX account_api_keys_live ON account_api_keys (account_id) WHERE revoked_at IS NULL;

CREATE TABLE ledger_entries (
    id             uuid PRIMARY KEY,
    seq            bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT ledger_entries_seq_unique UNIQUE,
    account_id     uuid           NOT NULL REFERENCES accounts (id),
    posted_at      timestamptz    NOT NULL,
    kind           varchar(16)    NOT NULL CONSTRAINT ledger_entries_kind CHECK (kind IN
                       ('CREDIT', 'PURCHASE', 'RENEWAL', 'AUTO_RENEWAL', 'UPGRADE', 'PEAK_CHANGE', 'REFUND')),
    amount         numeric(19, 2) NOT NULL CONSTRAINT ledger_entries_amount_not_zero CHECK (amount <> 0),
    balance_after  numeric(19, 2) NOT NULL CONSTRAINT ledger_entries_balance_not_negative CHECK (balance_after >= 0),
    resource_type  varchar(32),
    resource_id    uuid,
    description    varchar(500)   NOT NULL,
    reference      varchar(128),
    CONSTRAINT ledger_entries_reference_unique UNIQUE (account_id, reference)
);
CREATE INDEX ledger_entries_account_seq ON ledger_entries (account_id, seq DESC);
CREATE INDEX ledger_entries_account_posted ON ledger_entries (account_id, posted_at);

-- The ledger is append-only: corrections are new entries, never edits.
CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_entries is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER ledger_entries_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only();
