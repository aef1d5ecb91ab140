package io.github.raaetl.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, started by the suite itself from the system's PostgreSQL binaries (Debian's
 * {@code postgresql} package, which {@code .ci/run} installs): a fresh cluster in a temporary folder, listening on
 * 127.0.0.1 only, on a free port, stopped and removed when closed. PostgreSQL refuses to run as root, so under root the
 * server runs as the {@code postgres} account (the package creates it). Each test gets a database of its own.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path bin;
    private final int port;
    private final List<String> asServerUser;

    private PostgresServer(Path dir, Path bin, int port, List<String> asServerUser) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asServerUser = asServerUser;
    }

    /** Starts a new cluster. @throws IllegalStateException naming what to install when PostgreSQL is not there */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> as = root ? List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups") : List.of();
        Path dir = Files.createTempDirectory("etl-postgres-");
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()), List.of(), dir.resolve("chown.log"));
            dir.toFile().setReadable(true, false);
            dir.toFile().setExecutable(true, false);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PostgresServer server = new PostgresServer(dir, bin, port, as);
        Path data = dir.resolve("data");
        // no locale: a minimal machine may have none installed, and the ledger needs none
        server.asServer(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"), dir.resolve("initdb.log"));
        server.resume();
        return server;
    }

    /**
     * Stops the server as a crash would ({@code pg_ctl -m immediate}: connections dropped, no shutdown checkpoint);
     * {@link #resume} starts it again on the same port, with what was committed.
     */
    public void stopImmediately() throws IOException, InterruptedException {
        asServer(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                "-w", "stop"), dir.resolve("stop.log"));
    }

    /** Starts the server (again), on its port, and waits until it takes connections. */
    public void resume() throws IOException, InterruptedException {
        asServer(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", String.valueOf(START_TIMEOUT.toSeconds()), "-o",
                "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=" + dir
                        + " -c fsync=off -c max_connections=50", "start"), dir.resolve("pg_ctl.log"));
    }

    /** A fresh, empty database on the server, as a JDBC URL. */
    public String newDatabase() throws SQLException {
        String name = "etl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stopImmediately();
        } catch (IllegalStateException alreadyStopped) {
            // a test stopped it and failed before starting it again
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void asServer(List<String> command, Path log) throws IOException, InterruptedException {
        run(command, asServerUser, log);
    }

    private static void run(List<String> command, List<String> prefix, Path log) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end within " + START_TIMEOUT);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    /** initdb and pg_ctl: on the PATH, else the newest /usr/lib/postgresql/N/bin. */
    private static Path findBinaries() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path initdb = Path.of(entry, "initdb");
            if (!entry.isEmpty() && Files.isExecutable(initdb) && Files.isExecutable(Path.of(entry, "pg_ctl"))) {
                try {
                    return initdb.toRealPath().getParent(); // /usr/local/bin/initdb may be a link to the real folder
                } catch (IOException e) {
                    return initdb.getParent();
                }
            }
        }
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString()
                                .replaceAll("\\D", "0"))))
                        .orElseThrow(PostgresServer::missing);
            } catch (IOException e) {
                throw missing();
            }
        }
        throw missing();
    }

    private static IllegalStateException missing() {
        return new IllegalStateException("the PostgreSQL tests need PostgreSQL's server binaries (initdb, pg_ctl): "
                + "install them, e.g. apt-get install postgresql (.ci/run does)");
    }
}
