package io.github.raaetl.outcome;

import io.github.raaetl.support.FileNames;
import io.github.raaetl.support.Text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Moves an input file out of the inbox once it is done with: to processed/ when every record is accounted for, to
 * failed/ beside a reason file when it could not be read (whole or in part). Never over an earlier file of the same
 * name, and never with --keep-input or --dry-run (the reason file is still written). A file whose outputs could not
 * all be written is not archived at all: it stays where the next run finds it.
 *
 * <p>The inbox's file consumer does not move files itself ({@code noop}): the move is the last step, after the
 * outputs are safely published, so that a failed write or a failed move is this file's error, with its path and
 * cause, instead of a Camel warning after the summary already said "done".
 */
public final class InputArchive {

    private final OutputDirs dirs;
    private final boolean keepInput;
    private final String doneFile;
    private final String target;
    private final boolean ledger;
    private final Clock clock;
    private final ArchivedInputs watched;

    /**
     * @param doneFile the done-file name pattern ({@code ${file:name}.done}), or null: the done file of an archived
     *                 input is removed with it
     * @param target   where records went, in words, for the reason file
     * @param ledger   whether a record ledger recognises records already sent (then the file can be dropped back
     *                 whole once fixed)
     */
    public InputArchive(OutputDirs dirs, boolean keepInput, String doneFile, String target, boolean ledger,
                        Clock clock, ArchivedInputs watched) {
        this.dirs = dirs;
        this.keepInput = keepInput;
        this.doneFile = doneFile;
        this.target = target;
        this.ledger = ledger;
        this.clock = clock;
        this.watched = watched;
    }

    /**
     * Every record is accounted for: the input goes to processed/, where it is looked at again for a while (see
     * {@link ArchivedInputs}). @return where it is now
     */
    public String processed(Path input) throws OutputFailure {
        if (keepInput) {
            return "left in place (--keep-input or --dry-run)";
        }
        String where = move(input, dirs.processed());
        watched.archived(Path.of(where), input.getFileName().toString());
        return where;
    }

    /**
     * The file could not be read (as a whole or past some point): it goes to failed/ with NAME.error.txt.
     *
     * @param summary what was done with the records read before the problem, or null when none was read
     * @return where it is now
     */
    public String failed(Path input, String reason, FileSummary summary) throws OutputFailure {
        String name = input.getFileName().toString();
        Path destination = AtomicFile.freeName(dirs.failed().resolve(name), AtomicFile.stamp(clock.instant()));
        AtomicFile errorFile = new AtomicFile(destination.resolveSibling(
                FileNames.stem(destination.getFileName().toString()) + ".error.txt"));
        StringBuilder text = new StringBuilder()
                .append("File:    ").append(Text.escape(name)).append('\n')
                .append("Moved to: ").append(keepInput ? "(left in place: dry run / keep-input)" : destination).append('\n')
                .append("When:    ").append(clock.instant()).append('\n')
                .append("Target:  ").append(target).append('\n')
                .append("Reason:  ").append(Text.escape(reason)).append('\n');
        if (summary != null && summary.records() > 0) {
            text.append("Records read before the problem: ").append(summary.records()).append(", outcomes ")
                    .append(summary.counts()).append('\n')
                    .append("Their results are in ").append(summary.outputs().get(0)).append('\n')
                    .append(ledger
                            ? "Fix the file from the position given and drop it back whole: the record ledger knows "
                            + "the records above, and they are not sent again.\n"
                            : "Do not drop this file back as it is: the records above were already processed. "
                            + "Fix the file from the position given and drop only the remaining records.\n");
        } else {
            text.append("No record was sent. Fix the file and drop it into the inbox again.\n");
        }
        try {
            Files.writeString(errorFile.part(), text, StandardCharsets.UTF_8);
            errorFile.publish();
        } catch (IOException e) {
            throw new OutputFailure(errorFile.part(), e);
        }
        if (keepInput) {
            return "left in place (--keep-input or --dry-run); reason in " + errorFile.target();
        }
        return moveTo(input, destination);
    }

    /**
     * The input is left in the inbox, sound, because something the run needs was gone (the record ledger): its reason
     * file goes to results/NAME.error.txt, beside its summary, and the next run (or poll) reads it again whole.
     *
     * @param summary how far the run got, or null when it never started
     * @return where the input is now, with where the reason is
     */
    public String leftInInbox(Path input, String reason, FileSummary summary) throws OutputFailure {
        String name = input.getFileName().toString();
        AtomicFile errorFile = new AtomicFile(AtomicFile.freeName(dirs.results().resolve(FileNames.stem(name)
                + ".error.txt"), AtomicFile.stamp(clock.instant())));
        StringBuilder text = new StringBuilder()
                .append("File:    ").append(Text.escape(name)).append('\n')
                .append("Left in: ").append(input.getParent()).append(" (nothing is wrong with the file)\n")
                .append("When:    ").append(clock.instant()).append('\n')
                .append("Target:  ").append(target).append('\n')
                .append("Reason:  ").append(Text.escape(reason)).append('\n');
        if (summary != null && summary.records() > 0) {
            text.append("Records read before the stop: ").append(summary.records()).append(", outcomes so far ")
                    .append(summary.counts()).append('\n');
        }
        text.append("Nothing needs fixing. The next run (or, while the loader watches the inbox, a later poll once the "
                + "ledger is back) reads the file again whole: the records already sent are recognised by the ledger "
                + "and not sent again, and its results are written then.\n");
        try {
            Files.writeString(errorFile.part(), text, StandardCharsets.UTF_8);
            errorFile.publish();
        } catch (IOException e) {
            throw new OutputFailure(errorFile.part(), e);
        }
        return "left in the inbox " + input.getParent() + "; reason in " + errorFile.target();
    }

    private String move(Path input, Path folder) throws OutputFailure {
        Path name = input.getFileName();
        return moveTo(input, AtomicFile.freeName(folder.resolve(name), AtomicFile.stamp(clock.instant())));
    }

    private String moveTo(Path input, Path destination) throws OutputFailure {
        try {
            // a symbolic link is moved as the link, never as what it points at
            Files.move(input, destination);
        } catch (IOException e) {
            throw new OutputFailure(destination, e);
        }
        removeDoneFile(input);
        return destination.toString();
    }

    /** The done file said the input was complete; with the input gone it would only confuse the next poll. */
    private void removeDoneFile(Path input) {
        if (doneFile == null) {
            return;
        }
        String name = input.getFileName().toString();
        String done = doneFile.replace("${file:name.noext}", FileNames.stem(name)).replace("${file:name}", name);
        try {
            Files.deleteIfExists(input.resolveSibling(done));
        } catch (IOException ignored) {
            // a done file left behind points at no file, so it is harmless
        }
    }
}
