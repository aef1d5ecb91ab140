package io.github.raaetl.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code file_claim} table: the input files being worked on, one row per file while a loader works on it. A file
 * held by a live loader is left to it; a dead loader's is taken over and resumed under the same run id.
 */
final class FileClaims {

    private final String owner;
    private final String insert;

    FileClaims(String owner, LedgerDialect dialect) {
        this.owner = owner;
        this.insert = "INSERT INTO file_claim (file_key, file_run, file_name, owner, started_at) VALUES (?, ?, ?, ?, "
                + dialect.nowMillis() + ") ON CONFLICT (file_key) DO NOTHING";
    }

    /** A file's current claim: its run and holder. */
    record Held(String run, String holder) {
    }

    /** @return true when the file is now claimed by this loader under {@code newRun} */
    boolean insert(LedgerSession c, String fileKey, String fileName, String newRun) throws SQLException {
        PreparedStatement i = c.prepare(insert);
        i.setString(1, fileKey);
        i.setString(2, newRun);
        i.setString(3, fileName);
        i.setString(4, owner);
        return i.executeUpdate() == 1;
    }

    /** @return who holds the file, or null when nobody does */
    Held held(LedgerSession c, String fileKey) throws SQLException {
        PreparedStatement q = c.prepare("SELECT file_run, owner FROM file_claim WHERE file_key = ?");
        q.setString(1, fileKey);
        try (ResultSet r = q.executeQuery()) {
            return r.next() ? new Held(r.getString(1), r.getString(2)) : null;
        }
    }

    /** Takes a dead holder's claim over, unless another loader did meanwhile. @return true when taken */
    boolean takeOver(LedgerSession c, String fileKey, String holder) throws SQLException {
        PreparedStatement u = c.prepare("UPDATE file_claim SET owner = ? WHERE file_key = ? AND owner = ?");
        u.setString(1, owner);
        u.setString(2, fileKey);
        u.setString(3, holder);
        return u.executeUpdate() == 1;
    }

    void release(LedgerSession c, String fileKey) throws SQLException {
        PreparedStatement d = c.prepare("DELETE FROM file_claim WHERE file_key = ? AND owner = ?");
        d.setString(1, fileKey);
        d.setString(2, owner);
        d.executeUpdate();
    }
}
