package io.github.raaetl.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * One transaction's connection, with its statements prepared once each per connection, and kept with it from one
 * transaction to the next ({@code prepared}, owned by the pool's physical connection): the record path runs the same
 * few statements thousands of times, and preparing one costs as much as running it.
 */
final class LedgerSession implements AutoCloseable {

    private final Connection connection;
    private final Connection physical;
    private final Map<String, PreparedStatement> prepared;
    /** The embedded ledger's records store, or null; and this unit's writes to it, once it has any. */
    private final RocksRecordStore store;
    private RocksRecordStore.Batch records;

    /**
     * @param physical the pool's connection behind {@code connection}, on which statements are prepared
     * @param prepared the statements already prepared on it
     * @param store    where the records are, when not in the database
     */
    LedgerSession(Connection connection, Connection physical, Map<String, PreparedStatement> prepared,
                  RocksRecordStore store) {
        this.connection = connection;
        this.physical = physical;
        this.prepared = prepared;
        this.store = store;
    }

    /** This unit's reads and writes of the records store. */
    RocksRecordStore.Batch records() throws SQLException {
        if (records == null) {
            records = store.begin();
        }
        return records;
    }

    /** Writes what this unit gathered for the records store: just before its transaction commits. */
    void writeRecords() throws SQLException {
        if (records != null) {
            records.write();
        }
    }

    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement s = prepared.get(sql);
        if (s == null) {
            s = physical.prepareStatement(sql);
            prepared.put(sql, s);
        }
        s.clearParameters();
        return s;
    }

    Connection connection() {
        return connection;
    }

    /** The statements stay with their connection; what the records store was not given is dropped. */
    @Override
    public void close() {
        if (records != null) {
            records.close();
        }
    }

    /** Closes statements kept for a connection that is given up. */
    static void closeAll(Map<String, PreparedStatement> prepared) {
        for (PreparedStatement s : prepared.values()) {
            try {
                s.close();
            } catch (SQLException ignored) {
                // the connection is being given up anyway
            }
        }
        prepared.clear();
    }
}
