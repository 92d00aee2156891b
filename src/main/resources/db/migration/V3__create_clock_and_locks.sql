-- The adjustable test clock's offset, shared by every instance (SPEC §5); one row.
CREATE TABLE billing_clock (
    id             smallint PRIMARY KEY CONSTRAINT billing_clock_single_row CHECK (id = 1),
    offset_micros  bigint NOT NULL
);
INSERT INTO billing_clock (id, offset_micros) VALUES (1, 0);

-- ShedLock's table: one lifecycle run at a time across instances.
CREATE TABLE shedlock (
    name        varchar(64)  PRIMARY KEY,
    lock_until  timestamptz  NOT NULL,
    locked_at   timestamptz  NOT NULL,
    locked_by   varchar(255) NOT NULL
);
