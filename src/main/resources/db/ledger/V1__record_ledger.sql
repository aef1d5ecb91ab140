-- The loader's durable memory. The same SQL on SQLite (embedded, one loader) and PostgreSQL (several instances).
-- Times are epoch milliseconds (BIGINT), the one type both store alike.

-- One row per audit event sent or being sent, keyed by the fingerprint of what is sent (target, operation, target id,
-- canonical payload).
CREATE TABLE record_ledger (
    fingerprint        VARCHAR(64)   NOT NULL PRIMARY KEY,
    state              VARCHAR(16)   NOT NULL,
    target             VARCHAR(512)  NOT NULL,
    operation          VARCHAR(8)    NOT NULL,
    graph_id           VARCHAR(512),
    http_status        INTEGER,
    attempts           INTEGER,
    client_request_id  VARCHAR(64),
    request_id         VARCHAR(64),
    message            VARCHAR(2000),
    source_file        VARCHAR(1024),
    file_run           VARCHAR(64),
    record_number      BIGINT,
    owner              VARCHAR(64),
    updated_at         BIGINT        NOT NULL
);
-- No secondary index: the record path only ever looks a fingerprint up, and every index is written on every commit.
-- The SENDING entries and the retention purge are a scan, once at start-up.

-- The loaders using the ledger: a loader is alive while its lease is renewed.
CREATE TABLE ledger_owner (
    owner        VARCHAR(64)   NOT NULL PRIMARY KEY,
    host         VARCHAR(256)  NOT NULL,
    pid          BIGINT        NOT NULL,
    started_at   BIGINT        NOT NULL,
    lease_until  BIGINT        NOT NULL
);

-- Input files being processed, one row per file while a loader works on it (removed when it finishes): a file held
-- by a live owner is left alone by the others; a dead owner's file is taken over and resumed under the same run id.
CREATE TABLE file_claim (
    file_key     VARCHAR(1200) NOT NULL PRIMARY KEY,
    file_run     VARCHAR(64)   NOT NULL,
    file_name    VARCHAR(1024) NOT NULL,
    owner        VARCHAR(64)   NOT NULL,
    started_at   BIGINT        NOT NULL
);
