package io.github.raaetl.outcome;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * An export being written (--export FILE): a Graph collection ({@code {"@odata.context": …, "value": [...]}}) streamed
 * to {@code .FILE.part} page by page, and published as FILE only when complete ({@link AtomicFile}). Beside it, a
 * journal ({@code .FILE.export.db}, SQLite) holds, committed after each page reached the disk, how far the file is
 * written, the link to the next page and the id of every record written, so that:
 * <ul>
 *   <li>an export killed anywhere resumes where its last page ended (the part is cut back to it);</li>
 *   <li>a listing started again from the first page (its next link expired) writes no record twice;</li>
 *   <li>memory stays bounded whatever the tenant's size: the ids live in the journal, not in the heap.</li>
 * </ul>
 */
public final class ExportFile implements AutoCloseable {

    private final AtomicFile file;
    private final Path journalPath;
    private final ObjectMapper json;
    private final Connection journal;
    private final FileChannel part;
    private final boolean resumed;
    private long written;
    private long committedBytes;
    private String next;
    private boolean headerWritten;

    private ExportFile(AtomicFile file, Path journalPath, ObjectMapper json, Connection journal, FileChannel part,
                       boolean resumed) {
        this.file = file;
        this.journalPath = journalPath;
        this.json = json;
        this.journal = journal;
        this.part = part;
        this.resumed = resumed;
    }

    /**
     * Opens the export of {@code target}: a new one, or the one an interrupted run left (same window only).
     *
     * @param window what the export keeps, in words; an export under way with another window is refused
     */
    public static ExportFile open(Path target, String window, ObjectMapper json) throws IOException {
        AtomicFile file = new AtomicFile(target.toAbsolutePath().normalize());
        Files.createDirectories(file.target().getParent()); // --export exports/x.json: the folder may not exist yet
        Path journalPath = file.target().resolveSibling("." + file.target().getFileName() + ".export.db");
        boolean resuming = Files.exists(journalPath) && Files.exists(file.part());
        if (!resuming) {
            Files.deleteIfExists(journalPath);
            Files.deleteIfExists(file.part());
        }
        Connection journal = null;
        FileChannel part = null;
        try {
            journal = DriverManager.getConnection("jdbc:sqlite:" + journalPath);
            try (Statement s = journal.createStatement()) {
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE IF NOT EXISTS export_state (key TEXT PRIMARY KEY, value TEXT)");
                s.execute("CREATE TABLE IF NOT EXISTS export_ids (id TEXT PRIMARY KEY) WITHOUT ROWID");
            }
            journal.setAutoCommit(false);
            part = FileChannel.open(file.part(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ExportFile export = new ExportFile(file, journalPath, json, journal, part, resuming);
            export.start(window);
            return export;
        } catch (SQLException | IOException | RuntimeException e) {
            if (part != null) {
                part.close();
            }
            closeQuietly(journal);
            throw e instanceof IOException io ? io : new IOException("the export journal " + journalPath
                    + " cannot be used: " + e.getMessage(), e);
        }
    }

    private void start(String window) throws SQLException, IOException {
        String was = state("window");
        if (was != null && !was.equals(window)) {
            throw new IOException("an export of " + file.target() + " for " + was + " is under way (" + journalPath
                    + "): finish it with the same --since/--until, or delete " + journalPath + " and " + file.part()
                    + " to start again");
        }
        put("window", window);
        committedBytes = was == null ? 0 : Long.parseLong(state("bytes"));
        written = was == null ? 0 : Long.parseLong(state("written"));
        next = was == null ? null : state("next");
        headerWritten = committedBytes > 0;
        journal.commit();
        part.truncate(committedBytes); // whatever a killed run wrote after its last committed page
        part.position(committedBytes);
    }

    /** Whether this export goes on from one an interrupted run left. */
    public boolean resumed() {
        return resumed;
    }

    /** Records in the file so far. */
    public long written() {
        return written;
    }

    /** The page to read next: null to start from the first one. */
    public String next() {
        return next;
    }

    /** Whether the window is applied here, record by record (the tenant refused the $filter), as recorded. */
    public boolean filteredHere() throws IOException {
        return "true".equals(stateQuietly("filteredHere"));
    }

    public void filterHere() throws IOException {
        try {
            put("filteredHere", "true");
            journal.commit();
        } catch (SQLException e) {
            throw new IOException("the export journal " + journalPath + " cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a page's records (those not written before) and makes them durable, then records the page as done.
     *
     * @param context  the collection's {@code @odata.context}, for the file's header
     * @param nextLink where the listing goes on, or null after the last page
     * @return how many records were written (a record already in the file is skipped)
     */
    public int append(List<JsonNode> records, String context, String nextLink) throws IOException {
        try {
            OutputStream out = Channels.newOutputStream(part);
            int count = 0;
            try (PreparedStatement insert = journal.prepareStatement("INSERT OR IGNORE INTO export_ids (id) VALUES (?)");
                 JsonGenerator g = json.getFactory().createGenerator(out, JsonEncoding.UTF8)
                         .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
                if (!headerWritten) {
                    writeHeader(out, context);
                }
                for (JsonNode record : records) {
                    JsonNode id = record.get("id");
                    if (id != null && id.isTextual()) {
                        insert.setString(1, id.asText());
                        if (insert.executeUpdate() == 0) {
                            continue; // already in the file: a listing started again from its first page
                        }
                    }
                    g.flush();
                    if (written + count > 0) {
                        out.write(",\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    g.writeTree(record);
                    g.flush();
                    count++;
                }
            }
            part.force(false); // the records reach the disk before the journal says they are there
            written += count;
            committedBytes = part.position();
            next = nextLink;
            put("bytes", String.valueOf(committedBytes));
            put("written", String.valueOf(written));
            put("next", nextLink);
            journal.commit();
            return count;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new IOException("the export journal " + journalPath + " cannot be written: " + e.getMessage(), e);
        }
    }

    /** The listing starts again from the first page (its next link expired); the records written stay, once each. */
    public void listAgain() throws IOException {
        try {
            put("next", null);
            journal.commit();
            next = null;
        } catch (SQLException e) {
            throw new IOException("the export journal " + journalPath + " cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * Ends the collection, makes it durable and publishes it as the export file (an earlier file of that name is kept,
     * renamed); the journal goes. @param context used when no page came (an empty collection)
     */
    public Path finish(String context) throws IOException {
        OutputStream out = Channels.newOutputStream(part);
        if (!headerWritten) {
            writeHeader(out, context);
        }
        out.write("\n]}\n".getBytes(StandardCharsets.US_ASCII));
        part.force(true);
        part.close();
        closeQuietly(journal);
        Path published = file.publish();
        Files.deleteIfExists(journalPath);
        return published;
    }

    /** The collection's opening, up to its value array: {@code {"@odata.context": …, "value":[}. */
    private void writeHeader(OutputStream out, String context) throws IOException {
        out.write(("{\"@odata.context\":" + json.writeValueAsString(context) + ",\"value\":[\n")
                .getBytes(StandardCharsets.UTF_8));
        headerWritten = true;
    }

    @Override
    public void close() throws IOException {
        if (part.isOpen()) {
            part.close();
        }
        closeQuietly(journal);
    }

    private String state(String key) throws SQLException {
        try (PreparedStatement q = journal.prepareStatement("SELECT value FROM export_state WHERE key = ?")) {
            q.setString(1, key);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private String stateQuietly(String key) throws IOException {
        try {
            return state(key);
        } catch (SQLException e) {
            throw new IOException("the export journal " + journalPath + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void put(String key, String value) throws SQLException {
        try (PreparedStatement u = journal.prepareStatement(
                "INSERT INTO export_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            u.setString(1, key);
            u.setString(2, value);
            u.executeUpdate();
        }
    }

    private void rollbackQuietly() {
        try {
            journal.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: nothing was committed
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing more to lose
            }
        }
    }
}
