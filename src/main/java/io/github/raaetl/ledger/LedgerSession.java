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

    /**
     * @param physical the pool's connection behind {@code connection}, on which statements are prepared
     * @param prepared the statements already prepared on it
     */
    LedgerSession(Connection connection, Connection physical, Map<String, PreparedStatement> prepared) {
        this.connection = connection;
        this.physical = physical;
        this.prepared = prepared;
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

    /** The statements stay with their connection: nothing to close with the transaction. */
    @Override
    public void close() {
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
