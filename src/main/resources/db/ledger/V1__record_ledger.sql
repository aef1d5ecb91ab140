-- One row per audit event the loader has sent or is sending, keyed by the fingerprint of what is sent (target,
-- operation, target id, canonical payload). The same SQL on H2 (embedded) and PostgreSQL (several instances).
CREATE TABLE record_ledger (
    fingerprint        VARCHAR(64)   NOT NULL PRIMARY KEY,
    state              VARCHAR(16)   NOT NULL,
    target             VARCHAR(512)  NOT NULL,
    operation          VARCHAR(8)    NOT NULL,
    graph_id           VARCHAR(512),
    http_status        INTEGER,
    client_request_id  VARCHAR(64),
    request_id         VARCHAR(64),
    message            VARCHAR(2000),
    source_file        VARCHAR(1024),
    record_number      BIGINT,
    owner              VARCHAR(128),
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX record_ledger_updated_at ON record_ledger (updated_at);
CREATE INDEX record_ledger_state ON record_ledger (state);
