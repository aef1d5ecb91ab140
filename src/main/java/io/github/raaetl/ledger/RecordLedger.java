package io.github.raaetl.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The durable ledger: one row per audit event sent or being sent (its fingerprint, state and Graph's answer), the
 * loaders using it (alive while their lease is renewed), and the input files being worked on. An embedded SQLite file
 * by default, its records in RocksDB beside it (no server: they live under the output root, and {@link LedgerLock}
 * keeps a second loader off them), or PostgreSQL when several instances share the work. A façade over the database
 * ({@link LedgerDatabase}: pool, schema, units of work, outages) and its three tables ({@link RecordEntries},
 * {@link LedgerOwners}, {@link FileClaims}).
 *
 * <p>A claim is committed before {@link #claim} or {@link #claimAll} returns, so before its request can leave. How a
 * record ended ({@link #done}, {@link #rejected}, {@link #release}) is committed with the next claims, in the same
 * transaction (one commit per window of records, which is what keeps the ledger's cost small), or by {@link #flush}:
 * before a file's outputs are published, and within a fraction of a second by the caller's timer. Whoever waits to
 * show an outcome (its results row) is told once it is committed. A crash in between leaves such a record SENDING,
 * with no row written, and a SENDING record is looked up in Graph (and found) before it is ever sent again: never a
 * duplicate.
 *
 * <p>A database that cannot be reached is waited for (see {@link LedgerOutage}): every call but the heartbeat's pauses
 * and tries again, and fails with {@link LedgerUnavailableException} only after the configured give-up time.
 */
public final class RecordLedger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("etl.ledger");

    private final LedgerDatabase db;
    private final RecordEntries records;
    private final LedgerOwners owners;
    private final FileClaims files;
    private final OwnerLockFiles lockFiles;

    private RecordLedger(LedgerDatabase db, LedgerOwners owners, OwnerLockFiles lockFiles) {
        this.db = db;
        this.owners = owners;
        this.records = db.records() != null ? new RocksRecordEntries(owners.owner().id())
                : new SqlRecordEntries(owners.owner().id());
        this.files = new FileClaims(owners.owner().id(), db.dialect());
        this.lockFiles = lockFiles;
    }

    /**
     * Opens the ledger, creating or migrating its schema (waiting for a database that cannot be reached yet, up to the
     * give-up time), refuses a damaged embedded file, gives back the leases of loaders that stopped without giving
     * them back, and registers this loader as an owner.
     */
    public static RecordLedger open(LedgerConfig config, LedgerOwner owner) {
        LedgerDatabase db = LedgerDatabase.open(config, owner, Clock.systemUTC());
        OwnerLockFiles lockFiles = null;
        try {
            db.checkIntegrity();
            if (!db.embedded() && config.localDir() != null) {
                lockFiles = OwnerLockFiles.hold(config.localDir(), owner);
            }
            RecordLedger ledger = new RecordLedger(db, new LedgerOwners(owner, config.lease(), db.dialect()), lockFiles);
            if (lockFiles != null) {
                // loaders that stopped here without giving their lease back (the ledger was down): it ends now
                lockFiles.giveBackLeftovers(id -> db.write("give back a stopped loader's lease",
                        c -> ledger.owners.expire(c, id)));
            }
            db.write("register this loader", c -> {
                ledger.owners.register(c);
                return null;
            });
            return ledger;
        } catch (RuntimeException e) {
            if (lockFiles != null) {
                lockFiles.close();
            }
            db.close();
            throw e;
        }
    }

    public LedgerOwner owner() {
        return owners.owner();
    }

    /** Embedded: this loader is the only one on the ledger (any other owner recorded in it is dead). */
    public boolean exclusive() {
        return db.embedded();
    }

    /** Whether the ledger's database can be used now, since when it cannot, and why. */
    /** The version of the ledger's schema (Flyway's, from db/ledger). */
    public String schemaVersion() {
        return db.schemaVersion();
    }

    /** Commits made so far by this loader. */
    public long commits() {
        return db.commits();
    }

    /** The time those commits took, in nanoseconds. */
    public long commitNanos() {
        return db.commitNanos();
    }

    public LedgerOutage outage() {
        return db.outage();
    }

    // --- records -------------------------------------------------------------------------------------------------

    /** The entry for a fingerprint, if the ledger has one. */
    public Optional<LedgerEntry> find(String fingerprint) {
        return db.write("read", c -> records.find(c, fingerprint));
    }

    /** Commits the outcomes still pending (waiting through an outage). */
    public void flush() {
        db.flush();
    }

    /** Commits the outcomes still pending, in one try. */
    public void flushOnce() {
        flushIfWaited(Duration.ZERO);
    }

    /**
     * The flush timer's: commits the outcomes still pending, in one try, once the oldest has waited {@code age} for
     * the next claims to carry it. While records are being claimed it has not (each window's commit takes them), so
     * the timer neither takes the database from the thread claiming nor splits their commits.
     */
    public void flushIfWaited(Duration age) {
        if (db.pendingFor(age.toNanos())) {
            db.once("write", c -> null);
        }
    }

    /**
     * An embedded ledger's checkpoint, off the record path: call it often from a thread of its own (see
     * {@code LedgerDatabase.checkpoint}). Nothing to do on PostgreSQL.
     */
    public void checkpoint() {
        db.checkpoint();
    }

    /**
     * Claims a fingerprint just before its request leaves, as SENDING, committed. Empty when the claim is now this
     * loader's; otherwise the entry already there (done, rejected, or being sent), untouched.
     */
    public Optional<LedgerEntry> claim(String fingerprint, String target, String operation, Claim claim) {
        return db.write("write", c -> records.claim(c, List.of(fingerprint), List.of(operation), target,
                List.of(claim))[0] ? Optional.empty() : records.find(c, fingerprint));
    }

    /**
     * Claims several fingerprints at once, in one transaction (one commit for a window of records read ahead), as
     * {@link #claim} does each. @return per fingerprint, whether the claim is now this loader's; where it is not, the
     * entry already there is left untouched, for the caller to decide on when the record's turn comes
     */
    public boolean[] claimAll(List<String> fingerprints, List<String> operations, String target, List<Claim> claims) {
        return db.write("write", c -> records.claim(c, fingerprints, operations, target, claims));
    }

    /**
     * Takes an existing entry over as SENDING by this loader (a record sent again: rejected before, left SENDING by a
     * dead loader, or --resend), but only if it is still exactly as {@code seen}: of two loaders racing for it, one
     * wins. @return true when the entry is now this loader's claim
     */
    public boolean takeOver(LedgerEntry seen, Claim claim) {
        return db.write("write", c -> records.takeOver(c, seen, claim));
    }

    /**
     * Graph answered with success (or the record was found there): the audit event exists. Committed later;
     * {@code afterCommit} (may be null) is told once it is (null), or lost with a failed transaction (why): what shows
     * the outcome, its results row, is written then, never before.
     */
    public void done(String fingerprint, Answer answer, Consumer<String> afterCommit) {
        db.later(c -> records.outcome(c, fingerprint, LedgerState.DONE, answer), afterCommit);
    }

    /** Graph refused the record for good. Committed later, telling {@code afterCommit} as {@link #done} does. */
    public void rejected(String fingerprint, Answer answer, Consumer<String> afterCommit) {
        db.later(c -> records.outcome(c, fingerprint, LedgerState.REJECTED, answer), afterCommit);
    }

    /**
     * The claimed record was not sent after all (nothing of it can have reached Graph): the claim is dropped.
     * Committed later.
     */
    public void release(String fingerprint) {
        db.later(c -> records.release(c, fingerprint), null);
    }

    /** Every entry still SENDING: the records whose fate in Graph is unknown. */
    public List<LedgerEntry> sending() {
        return db.write("read", records::sending);
    }

    /** Forgets entries not touched since {@code cutoff} (retention); never one still SENDING. @return how many */
    public int purgeOlderThan(Instant cutoff) {
        return db.write("write", c -> records.purgeOlderThan(c, cutoff));
    }

    public long size() {
        return db.write("read", records::size);
    }

    // --- owners ---------------------------------------------------------------------------------------------------

    /**
     * This loader is alive: its files and records stay its own for another lease, measured on the database's clock.
     * One try (the heartbeat's, which tries again soon); commits pending outcomes too.
     */
    public void renewLease() {
        db.once("renew this loader's lease", this::renew);
    }

    private Void renew(LedgerSession c) throws java.sql.SQLException {
        if (!owners.renew(c)) {
            owners.register(c); // its row was gone: it is alive all the same
        }
        return null;
    }

    /**
     * Before a request leaves: this loader's lease must be sure to outlast it. When it has not been renewed for half
     * its length (the database was unreachable), it is renewed now, waiting through an outage: nothing is sent by a
     * loader that others may think dead. A no-op on an embedded ledger, where no other loader can be.
     */
    public void ensureLease() {
        if (!db.embedded() && !owners.leaseHeld()) {
            db.write("renew this loader's lease", this::renew);
        }
    }

    /**
     * Whether a loader is alive. This one always; on an embedded ledger no other can be (the lock file keeps them
     * off); on a shared one, while its lease runs on the database's clock.
     */
    public boolean alive(String ownerId) {
        if (owner().id().equals(ownerId)) {
            return true;
        }
        if (exclusive() || ownerId == null) {
            return false;
        }
        return db.write("read", c -> owners.alive(c, ownerId));
    }

    /** A loader in words ("pid 4242 on host etl-2"), for messages. */
    public String describeOwner(String ownerId) {
        return db.write("read", c -> owners.describe(c, ownerId));
    }

    // --- files ----------------------------------------------------------------------------------------------------

    /**
     * Claims an input file for this loader. A file nobody holds gets a new run; a file held by a dead loader (killed,
     * or its lease ran out) is taken over under its old run, so its records done before are recognised as this
     * run's; a file a live loader holds is left to it.
     *
     * @param fileKey what identifies the file's content (name, size, modification time)
     * @param newRun  the run id to use when the file is new
     */
    public FileClaim claimFile(String fileKey, String fileName, String newRun) {
        for (int round = 0; round < 3; round++) {
            if (db.write("write", c -> files.insert(c, fileKey, fileName, newRun))) {
                return new FileClaim(newRun, false, null);
            }
            FileClaims.Held held = db.write("read", c -> files.held(c, fileKey));
            if (held == null) {
                continue; // released meanwhile: claim it afresh
            }
            if (owner().id().equals(held.holder())) {
                // this loader's own: a claim it made in a try whose answer was lost, or one it holds already
                return new FileClaim(held.run(), !held.run().equals(newRun), null);
            }
            if (alive(held.holder())) {
                return new FileClaim(null, false, describeOwner(held.holder()));
            }
            if (db.write("write", c -> files.takeOver(c, fileKey, held.holder()))) {
                return new FileClaim(held.run(), true, null);
            }
        }
        throw new IllegalStateException("the record ledger could not settle who holds " + fileName);
    }

    /** The file is done with (finished, failed, or left for the next run): any loader may take it again. */
    public void releaseFile(String fileKey) {
        db.write("write", c -> {
            files.release(c, fileKey);
            return null;
        });
    }

    /**
     * Commits what is pending and gives this loader's lease back, so that its files and SENDING records are another's
     * at once. One try each, and a short one: with the database unreachable, the lease is given back by the next
     * loader to start in the same output folder (its lock file says this one stopped), or runs out.
     */
    @Override
    public void close() {
        try {
            flushOnce();
        } catch (RuntimeException e) {
            LOG.warn("stopping with outcomes the ledger could not commit ({}): their records stay SENDING, and are "
                    + "looked up in Graph before they are ever sent again", e.getMessage());
        }
        boolean givenBack = false;
        try {
            givenBack = db.once("give back this loader's lease", c -> {
                owners.deregister(c);
                return true;
            });
        } catch (RuntimeException e) {
            if (!db.embedded()) { // an embedded ledger has no other loader to wait for it
                LOG.warn("stopping without giving this loader's lease back ({}): {}", e.getMessage(), lockFiles == null
                        ? "it runs out by itself" : "the next loader to start in this output folder gives it back");
            }
        }
        if (lockFiles != null) {
            lockFiles.close(givenBack);
        }
        db.close();
    }

    /** A JDBC URL as it may be shown: without a password= parameter. */
    public static String withoutCredentials(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    /** Who claims a record for sending, from where. */
    public record Claim(String clientRequestId, String sourceFile, String fileRun, long recordNumber, Instant at) {
    }

    /** Graph's final answer for a record (or what a lookup found). */
    public record Answer(String graphId, int httpStatus, int attempts, String clientRequestId, String requestId,
                         String message, Instant at) {
    }

    /**
     * The outcome of {@link #claimFile}.
     *
     * @param run     the file's run id: new, or the interrupted run's when resumed; null when held elsewhere
     * @param resumed the file was being processed by a loader that died: its records done then are this run's
     * @param heldBy  the live loader holding it, in words, when it is not this one's to take
     */
    public record FileClaim(String run, boolean resumed, String heldBy) {
        public boolean held() {
            return heldBy != null;
        }
    }
}
