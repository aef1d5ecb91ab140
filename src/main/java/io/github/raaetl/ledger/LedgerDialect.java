package io.github.raaetl.ledger;

import io.github.raaetl.support.Text;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * What differs between the two databases the ledger runs on: the database's own clock in SQL (leases are measured on
 * it, never on a loader's: two machines' clocks may disagree by more than a lease), and which failures are a state of
 * the database (unreachable, full, read-only: wait and try again) rather than of what was asked of it.
 */
enum LedgerDialect {

    SQLITE("CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"),
    POSTGRESQL("CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)");

    /** SQLite's primary result codes that describe the file or the disk: busy, locked, out of memory, read-only,
     * I/O error, full, cannot open, locking protocol. */
    private static final Set<Integer> SQLITE_UNAVAILABLE = Set.of(5, 6, 7, 8, 10, 13, 14, 15);
    /** SQLite's: the file is not a database, or a damaged one. */
    private static final Set<Integer> SQLITE_DAMAGED = Set.of(11, 26);

    private final String nowMillis;

    LedgerDialect(String nowMillis) {
        this.nowMillis = nowMillis;
    }

    static LedgerDialect of(String url) {
        return url.startsWith("jdbc:sqlite:") ? SQLITE : POSTGRESQL;
    }

    /** The database's clock, in epoch milliseconds, as an SQL expression. */
    String nowMillis() {
        return nowMillis;
    }

    /**
     * The database cannot be used right now (no connection, server shutting down or starting up, out of resources, a
     * disk full or read-only): nothing is wrong with what was asked, so it is asked again once the database is back.
     */
    boolean unavailable(Throwable failure) {
        if (damaged(failure)) {
            return false; // waiting would not mend a damaged file (its first connection fails as if unreachable)
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof java.io.IOException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                // 08: connection; 53: insufficient resources (disk full, too many connections); 57P: operator
                // intervention (shutdown, starting up); 58: system error (I/O)
                if (state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                        || state.startsWith("58"))) {
                    return true;
                }
                if (this == SQLITE && SQLITE_UNAVAILABLE.contains(s.getErrorCode() & 0xff)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The embedded file is damaged, or not a ledger at all: nothing but an operator can fix that. */
    boolean damaged(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (this == SQLITE && t instanceof SQLException s && SQLITE_DAMAGED.contains(s.getErrorCode() & 0xff)) {
                return true;
            }
            if (this == SQLITE && RocksRecordStore.damaged(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the database cannot be used, in one line: the driver's own words (its deepest SQLException: "Connection to
     * db:5432 refused", "[SQLITE_FULL] database or disk is full"), with the system's underneath when they differ.
     */
    static String cause(Throwable e) {
        SQLException deepest = null;
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getMessage() != null) {
                deepest = s;
            }
            root = t;
        }
        if (deepest == null) {
            return Text.rootMessage(e);
        }
        String words = Text.escape(deepest.getMessage().strip());
        String system = root == deepest ? null : Text.rootMessage(root);
        if (root != deepest && (root.getMessage() == null || root.getMessage().isBlank())) {
            system = root.getClass().getSimpleName();
        }
        return system == null || words.contains(system) ? words : words + " (" + system + ")";
    }

}
