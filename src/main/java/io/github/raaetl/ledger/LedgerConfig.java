package io.github.raaetl.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How to reach the ledger and how long to wait for it.
 *
 * @param url         {@code jdbc:sqlite:FILE} (embedded: this loader alone, enforced by a lock file beside it) or
 *                    {@code jdbc:postgresql://…} (shared by several loaders)
 * @param lease       how long a loader counts as alive without renewing; a file or a record held by a loader whose
 *                    lease ran out (on the database's clock) is taken over by another
 * @param giveUpAfter how long the ledger may be unreachable before the work that needs it stops (the input stays in
 *                    the inbox); until then every call waits, reconnecting with backoff
 * @param localDir    a folder of this loader's own (under the output root) where each loader on a shared ledger keeps
 *                    a lock file, so that the next start gives back the lease of one that stopped while the database
 *                    was unreachable; null for none
 * @param stopping    true once the application is stopping: a wait for the ledger ends at once
 */
public record LedgerConfig(String url, String user, String password, Duration lease, Duration giveUpAfter,
                           Path localDir, BooleanSupplier stopping) {

    /** A ledger with the default lease (60 s) and wait (120 s), no folder of its own and never stopping. */
    public static LedgerConfig of(String url, String user, String password) {
        return new LedgerConfig(url, user, password, Duration.ofSeconds(60), Duration.ofSeconds(120), null,
                () -> false);
    }

    public LedgerConfig withLease(Duration lease) {
        return new LedgerConfig(url, user, password, lease, giveUpAfter, localDir, stopping);
    }

    public LedgerConfig withGiveUpAfter(Duration giveUpAfter) {
        return new LedgerConfig(url, user, password, lease, giveUpAfter, localDir, stopping);
    }

    public LedgerConfig withLocalDir(Path localDir) {
        return new LedgerConfig(url, user, password, lease, giveUpAfter, localDir, stopping);
    }

    public LedgerConfig withStopping(BooleanSupplier stopping) {
        return new LedgerConfig(url, user, password, lease, giveUpAfter, localDir, stopping);
    }

    boolean embedded() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** The file a {@code jdbc:sqlite:} URL names. */
    Path embeddedFile() {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        return Path.of(q < 0 ? rest : rest.substring(0, q)).toAbsolutePath();
    }

    /** Where the ledger is, in words fit for a log line: the embedded file's path, or the URL without a password. */
    String describe() {
        return embedded() ? embeddedFile().toString() : RecordLedger.withoutCredentials(url);
    }
}
