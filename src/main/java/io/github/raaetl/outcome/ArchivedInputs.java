package io.github.raaetl.outcome;

import io.github.raaetl.input.InputFormat;
import io.github.raaetl.support.FileNames;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The inputs archived to processed/ lately, looked at again for a while: a writer this machine cannot see (another
 * user's process, another machine on a shared folder) may still append to a file it kept open. Bytes that appear after
 * archiving are never left unread: the part appended is put back in the inbox as a file of its own
 * ({@code NAME.appended-STAMP.ext}, with the CSV header line first), so it is read as a run of its own; where that
 * cannot be done (a JSON document, which cannot be read on past its end; a last line cut short), it is reported.
 */
public final class ArchivedInputs {

    private record Watched(Path archived, String name, long size, long modified, Object fileKey, long until) {
    }

    /** What was found grown, in words for the log, and where its appended part went (null when it could not). */
    public record Growth(String description, Path putBack) {
    }

    private final Path inbox;
    private final long watchMillis;
    private final Clock clock;
    private final List<Watched> watched = new ArrayList<>();

    /** @param watchMillis how long after archiving a file is looked at again */
    public ArchivedInputs(Path inbox, long watchMillis, Clock clock) {
        this.inbox = inbox;
        this.watchMillis = watchMillis;
        this.clock = clock;
    }

    synchronized void archived(Path archived, String name) {
        try {
            BasicFileAttributes a = Files.readAttributes(archived, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            watched.add(new Watched(archived, name, a.size(), a.lastModifiedTime().toMillis(), a.fileKey(),
                    clock.millis() + watchMillis));
        } catch (IOException e) {
            // gone already: nothing will be appended to it
        }
    }

    /** Looks at the files archived lately; forgets those watched long enough. @return what grew since */
    public synchronized List<Growth> grownSinceArchived() {
        List<Growth> grown = new ArrayList<>();
        long now = clock.millis();
        for (Iterator<Watched> it = watched.iterator(); it.hasNext(); ) {
            Watched w = it.next();
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(w.archived(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                it.remove(); // moved away by someone: not ours to watch
                continue;
            }
            if (!Objects.equals(a.fileKey(), w.fileKey()) || a.size() < w.size()) {
                it.remove();
                continue;
            }
            if (a.size() > w.size()) {
                it.remove();
                grown.add(putBack(w, a.size()));
            } else if (now >= w.until()) {
                it.remove();
            }
        }
        return grown;
    }

    private Growth putBack(Watched w, long sizeNow) {
        String what = w.archived() + " grew by " + (sizeNow - w.size()) + " bytes after it was archived (a writer "
                + "kept appending to it)";
        InputFormat format = InputFormat.fromFileName(w.name()).orElse(null);
        try {
            if (format == null || format == InputFormat.JSON || !endsWithLineBreak(w.archived(), w.size())) {
                return new Growth(what + "; what was appended cannot be read on its own ("
                        + (format == InputFormat.JSON ? "a JSON document cannot be read on past its end"
                        : "the last line read was cut short") + "): check it and drop the missing records in again",
                        null);
            }
            String stem = FileNames.stem(w.name());
            Path target = AtomicFile.freeName(inbox.resolve(stem + ".appended" + FileNames.extension(w.name())),
                    AtomicFile.stamp(clock.instant()));
            Path part = inbox.resolve("." + target.getFileName() + ".part"); // hidden: not taken until renamed
            try (FileChannel in = FileChannel.open(w.archived(), StandardOpenOption.READ);
                 OutputStream out = Files.newOutputStream(part)) {
                if (format == InputFormat.CSV) {
                    copyHeaderLine(in, out);
                }
                in.position(w.size());
                try (InputStream rest = Channels.newInputStream(in)) {
                    rest.transferTo(out);
                }
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            return new Growth(what + "; the part appended is back in the inbox as " + target.getFileName()
                    + ", read as a file of its own", target);
        } catch (IOException e) {
            return new Growth(what + "; its appended part could not be put back in the inbox (" + e.getMessage()
                    + "): check it and drop the missing records in again", null);
        }
    }

    private static void copyHeaderLine(FileChannel in, OutputStream out) throws IOException {
        in.position(0);
        InputStream header = Channels.newInputStream(in);
        for (int b = header.read(); b >= 0; b = header.read()) {
            out.write(b);
            if (b == '\n') {
                return;
            }
        }
    }

    private static boolean endsWithLineBreak(Path file, long size) throws IOException {
        if (size == 0) {
            return true;
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            in.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }
}
