package io.github.raaetl.outcome;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * --compare's on-disk index (SQLite, so that a million records need no map in the heap): the file's records and the
 * target's, each under its content key, then matched: <b>missing</b> (in the file more often than in the target),
 * <b>duplicated</b> (in the target more often than in the file, and more than once), <b>extra</b> (in the target,
 * not in the file at all).
 */
public final class CompareIndex implements AutoCloseable {

    /** What the comparison found: records missing, duplicated keys and their surplus copies, extra records. */
    public record Counts(long fileRecords, long targetRecords, long missing, long duplicated, long surplusCopies,
                         long extra) {
    }

    private static final int BATCH = 2000;

    private final Path path;
    private final Connection db;
    private final PreparedStatement fileInsert;
    private final PreparedStatement targetInsert;
    private int pending;

    private CompareIndex(Path path, Connection db) throws SQLException {
        this.path = path;
        this.db = db;
        this.fileInsert = db.prepareStatement("INSERT INTO file_rec (key, raw) VALUES (?, ?)");
        this.targetInsert = db.prepareStatement("INSERT INTO target_rec (key, id) VALUES (?, ?)");
    }

    /** A new, empty index at {@code path} (an old one there is replaced). */
    public static CompareIndex create(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + path);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=OFF");
                s.execute("PRAGMA synchronous=OFF"); // a scratch index: rebuilt whole by the next comparison
                s.execute("CREATE TABLE file_rec (key TEXT NOT NULL, raw TEXT NOT NULL)");
                s.execute("CREATE TABLE target_rec (key TEXT NOT NULL, id TEXT)");
            }
            db.setAutoCommit(false);
            return new CompareIndex(path, db);
        } catch (SQLException e) {
            throw new IOException("the comparison index " + path + " cannot be made: " + e.getMessage(), e);
        }
    }

    /** A record of the file, by its content key, with its JSON as in the file (for the missing file). */
    public void addFileRecord(String key, String rawJson) throws IOException {
        add(fileInsert, key, rawJson);
    }

    /** A record of the target, by its content key, with its id there. */
    public void addTargetRecord(String key, String id) throws IOException {
        add(targetInsert, key, id);
    }

    private void add(PreparedStatement insert, String key, String value) throws IOException {
        try {
            insert.setString(1, key);
            insert.setString(2, value);
            insert.executeUpdate();
            if (++pending >= BATCH) {
                db.commit();
                pending = 0;
            }
        } catch (SQLException e) {
            throw new IOException("the comparison index " + path + " cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * Matches the two sides and writes {@code missing} (a Graph collection of the file's records the target lacks, the
     * import takes it as it is) and {@code duplicates} (one row per duplicated record: its copies and target ids).
     */
    public Counts match(Path missing, Path duplicates, String context) throws IOException {
        try (Statement s = db.createStatement()) {
            db.commit();
            s.execute("CREATE INDEX file_key ON file_rec (key)");
            s.execute("CREATE INDEX target_key ON target_rec (key)");
            s.execute("CREATE TABLE tally AS SELECT key, SUM(f) f, SUM(t) t FROM (SELECT key, 1 f, 0 t FROM file_rec "
                    + "UNION ALL SELECT key, 0 f, 1 t FROM target_rec) GROUP BY key");
            s.execute("CREATE INDEX tally_key ON tally (key)");
            db.commit();
            long fileRecords = count(s, "SELECT COUNT(*) FROM file_rec");
            long targetRecords = count(s, "SELECT COUNT(*) FROM target_rec");
            long missingCount = writeMissing(s, missing, context);
            long duplicated = count(s, "SELECT COUNT(*) FROM tally WHERE f > 0 AND t > f AND t > 1");
            long surplus = count(s, "SELECT COALESCE(SUM(t - f), 0) FROM tally WHERE f > 0 AND t > f AND t > 1");
            long extra = count(s, "SELECT COALESCE(SUM(t), 0) FROM tally WHERE f = 0");
            writeDuplicates(s, duplicates);
            return new Counts(fileRecords, targetRecords, missingCount, duplicated, surplus, extra);
        } catch (SQLException e) {
            throw new IOException("the comparison index " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private long writeMissing(Statement s, Path missing, String context) throws SQLException, IOException {
        AtomicFile out = new AtomicFile(missing);
        long n = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out.part(), StandardCharsets.UTF_8);
             ResultSet r = s.executeQuery("SELECT raw FROM (SELECT f.rowid pos, f.raw, ROW_NUMBER() OVER (PARTITION BY "
                     + "f.key ORDER BY f.rowid) rn, tally.t FROM file_rec f JOIN tally ON tally.key = f.key) WHERE rn > t "
                     + "ORDER BY pos")) {
            w.write("{\"@odata.context\":\"" + context.replace("\"", "\\\"") + "\",\"value\":[\n");
            while (r.next()) {
                if (n++ > 0) {
                    w.write(",\n");
                }
                w.write(r.getString(1));
            }
            w.write("\n]}\n");
        }
        out.publish();
        return n;
    }

    private void writeDuplicates(Statement s, Path duplicates) throws SQLException, IOException {
        AtomicFile out = new AtomicFile(duplicates);
        try (BufferedWriter w = Files.newBufferedWriter(out.part(), StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                     .setHeader("copiesInTarget", "copiesInFile", "targetIds", "record").get());
             ResultSet r = s.executeQuery("SELECT tally.t, tally.f, (SELECT GROUP_CONCAT(id, ' ') FROM target_rec "
                     + "WHERE target_rec.key = tally.key), (SELECT raw FROM file_rec WHERE file_rec.key = tally.key "
                     + "LIMIT 1) FROM tally WHERE f > 0 AND t > f AND t > 1 ORDER BY tally.key")) {
            while (r.next()) {
                csv.printRecord(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4));
            }
        }
        out.publish();
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            db.close();
        } catch (SQLException e) {
            // a scratch index: nothing to lose
        }
        Files.deleteIfExists(path);
    }
}
