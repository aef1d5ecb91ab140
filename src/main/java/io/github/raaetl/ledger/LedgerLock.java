package io.github.raaetl.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One loader per embedded ledger: an operating-system lock on a file beside it, which names its holder (pid, host,
 * since when). The system drops the lock when the holder dies, even by {@code kill -9}, so a stale file never blocks a
 * restart; while the holder lives, a second loader is refused with its name, never run beside it.
 */
final class LedgerLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private LedgerLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static LedgerLock acquire(Path file, LedgerOwner owner) {
        FileChannel channel = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new IllegalStateException("another loader is using the ledger " + file.getParent() + " ("
                        + (holder.isEmpty() ? "its holder is unknown" : holder) + "): run one loader per output "
                        + "folder, or share a PostgreSQL ledger (etl.ledger.url) between several");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((owner.describe() + ", since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new LedgerLock(channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // already failing
            }
            throw new IllegalStateException("the ledger's lock file " + file + " cannot be used: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel anyway
        }
    }
}
