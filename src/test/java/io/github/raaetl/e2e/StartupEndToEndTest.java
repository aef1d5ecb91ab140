package io.github.raaetl.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Start-up checks only a whole process shows: output folders that cannot be used stop the app with exit code 1,
 * naming the folder and the system's reason; a read-only share is read with --keep-input.
 */
class StartupEndToEndTest extends EndToEndSupport {

    @Test
    void anOutputFolderThatIsNotAFolderStopsTheAppAtStartUpNamingIt() throws Exception {
        drop("ok.csv", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        Files.createDirectories(out);
        Files.writeString(out.resolve("processed"), "not a folder");
        Result result = java(environmentFor(sim), "--once");
        assertThat(result.exit()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("etl.output: cannot write " + out.resolve("processed"))
                .doesNotContain("null");
        assertThat(names(inbox)).containsExactly("ok.csv");
        assertThat(sim.seen()).isEmpty();
    }

    @Test
    void anOutputFolderThatCannotBeWrittenStopsTheAppAtStartUpWithTheSystemsReason() throws Exception {
        drop("ok.csv", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        Path processed = Files.createDirectories(out.resolve("processed"));
        Files.setPosixFilePermissions(processed, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Result result = javaAs(withoutRootsRights(), environmentFor(sim), "--once");
            assertThat(result.exit()).as(result.output()).isEqualTo(1);
            assertThat(result.output()).contains("etl.output: cannot write " + processed + ": permission denied");
            assertThat(names(inbox)).containsExactly("ok.csv");
            assertThat(sim.seen()).isEmpty();
        } finally {
            Files.setPosixFilePermissions(processed, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aReadOnlyShareIsReadWithKeepInput() throws Exception {
        drop("share.csv", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        Files.setPosixFilePermissions(inbox, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Result result = javaAs(withoutRootsRights(), environmentFor(sim), "--keep-input");
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(assertAccounted("share", 1).get(0).get("outcome")).isEqualTo("created");
            assertThat(names(inbox)).containsExactly("share.csv");
        } finally {
            Files.setPosixFilePermissions(inbox, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Root may write anywhere: the app runs without the capabilities that let it, as an operator's account. */
    private static List<String> withoutRootsRights() {
        List<String> asUser = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            assumeThat(Path.of("/usr/bin/setpriv")).as("setpriv (util-linux) drops root's capabilities").exists();
            asUser.addAll(List.of("/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"));
        }
        return asUser;
    }
}
