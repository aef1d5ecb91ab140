package io.github.raaetl.ledger;

import io.github.raaetl.support.Text;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * On a shared ledger, each loader holds an operating-system lock on a file of its own in a local folder
 * ({@code <output>/ledger/loaders/OWNER.lock}) for as long as it runs. A loader that stops removes its file once the
 * ledger has its lease back; one that could not (the database was unreachable as it stopped, or it was killed) leaves
 * the file behind, unlocked (the system drops the lock with the process, even after kill -9). The next loader to start
 * there finds it free, and ends that loader's lease at once, instead of everyone waiting for it to run out.
 */
final class OwnerLockFiles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("etl.ledger");
    private static final String SUFFIX = ".lock";

    private final Path dir;
    private final Path mine;
    private final FileChannel channel;
    private final FileLock lock;

    private OwnerLockFiles(Path dir, Path mine, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.mine = mine;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates and locks this loader's file. @return null when the folder cannot hold lock files (said in the log) */
    static OwnerLockFiles hold(Path folder, LedgerOwner owner) {
        try {
            return lock(folder, owner);
        } catch (IOException e) {
            LOG.warn("no lock file for this loader under {} ({}): a lease this loader cannot give back as it stops "
                    + "will run out instead", folder, Text.rootMessage(e));
            return null;
        }
    }

    private static OwnerLockFiles lock(Path folder, LedgerOwner owner) throws IOException {
        Path dir = folder.resolve("loaders");
        Files.createDirectories(dir);
        Path mine = dir.resolve(owner.id() + SUFFIX);
        FileChannel channel = FileChannel.open(mine, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("cannot lock " + mine);
            }
            channel.write(ByteBuffer.wrap((owner.describe() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new OwnerLockFiles(dir, mine, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Ends the lease of each loader whose file is here but not locked (it stopped without giving its lease back), with
     * {@code expire} (true when the ledger knew it), and removes its file.
     */
    void giveBackLeftovers(Predicate<String> expire) {
        try {
            for (Leftover left : leftovers()) {
                boolean had = expire.test(left.ownerId());
                forget(left.ownerId(), had);
                if (had) {
                    LOG.info("gave back the lease of a loader that stopped without giving it back ({}): its files and "
                            + "records are free to resume now", Text.escape(left.who()));
                }
            }
        } catch (IOException e) {
            LOG.warn("the loaders' lock files under {} could not be read ({}): leases left behind will run out instead",
                    dir, Text.rootMessage(e));
        }
    }

    /** A loader that stopped without giving its lease back: its id, and its file (in words) from the lock file. */
    private record Leftover(String ownerId, String who) {
    }

    /** The loaders whose files are here but not locked: they stopped without giving their lease back. */
    private List<Leftover> leftovers() throws IOException {
        List<Leftover> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                if (f.equals(mine)) {
                    continue;
                }
                try (FileChannel other = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
                     FileLock free = other.tryLock()) {
                    if (free != null) {
                        String name = f.getFileName().toString();
                        out.add(new Leftover(name.substring(0, name.length() - SUFFIX.length()),
                                Files.readString(f, StandardCharsets.UTF_8).strip()));
                    }
                } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
                    // a ledger opened twice in one process (tests): alive
                }
            }
        }
        return out;
    }

    /**
     * The leftover's lease has been given back: its file goes. A file whose loader the ledger does not know goes only
     * once it is a minute old: it may be a loader's that is starting right now, which has not registered yet.
     */
    private void forget(String ownerId, boolean hadLease) throws IOException {
        Path f = dir.resolve(ownerId + SUFFIX);
        if (hadLease || Files.getLastModifiedTime(f).toMillis() < System.currentTimeMillis() - 60_000) {
            Files.deleteIfExists(f);
        }
    }

    /**
     * Releases this loader's lock; its file goes too when the ledger has its lease back, and stays (free) for the next
     * start to give it back when not.
     */
    void close(boolean leaseGivenBack) {
        try {
            lock.release();
            channel.close();
            if (leaseGivenBack) {
                Files.deleteIfExists(mine);
            }
        } catch (IOException ignored) {
            // the lock goes with the channel anyway; a file left behind is given back by the next start
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
