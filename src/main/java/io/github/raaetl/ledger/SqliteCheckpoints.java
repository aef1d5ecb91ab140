package io.github.raaetl.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An embedded ledger's checkpoints, off the record path: SQLite's passive checkpoint copies what the WAL holds into
 * the file (and syncs the disk) on a connection of its own, beside the writer, which it never blocks. Its own lock
 * guards only that connection: a checkpoint must never hold up a unit of work (one did, while it shared the
 * database's, and the thread claiming records waited on every sync).
 */
final class SqliteCheckpoints implements AutoCloseable {

    /** How many checkpoints in a row one call makes while the writer keeps adding to the WAL. */
    private static final int ROUNDS = 20;

    private final String url;
    /** Opened at the first checkpoint, and again after a failure; null meanwhile. */
    private Connection connection;

    /** @param url the ledger's JDBC URL with its SQLite settings */
    SqliteCheckpoints(String url) {
        this.url = url;
    }

    /**
     * Checkpoints, again while the writer has added more meanwhile, so that the WAL is started afresh at the writer's
     * next commit once it is idle. While the writer commits every few milliseconds (a large file being claimed) the
     * WAL is never caught whole, so it grows until the writer's own checkpoint at wal_autocheckpoint, which then has
     * little left to copy (measured: 256 MB, cut back to 64 MB, over and over; a RESTART checkpoint here kept it
     * smaller but cost more copying than it saved). A failure only leaves the work to the writer's own checkpoint.
     */
    synchronized void run() {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(url);
            }
            try (Statement s = connection.createStatement()) {
                for (int round = 0; round < ROUNDS; round++) {
                    try (var r = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                        if (!r.next() || r.getInt(2) <= r.getInt(3)) {
                            return; // every frame of the WAL is in the file
                        }
                    }
                }
            }
        } catch (SQLException e) {
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // opened afresh next time
            }
            connection = null;
        }
    }
}
