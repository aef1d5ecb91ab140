package io.github.raaetl.ledger;

/** {@link RecordLedgerTest}'s tests with the embedded ledger's records kept in its SQLite file. */
class SqliteRecordsLedgerTest extends RecordLedgerTest {

    @Override
    protected LedgerConfig.RecordStore store() {
        return LedgerConfig.RecordStore.SQLITE;
    }
}
