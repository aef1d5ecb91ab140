package io.github.raaetl.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate for 127.0.0.1, made with the JDK's own keytool (the JDK has no public API for it),
 * so a test server can speak https the way Entra does. The server side and a client that trusts it share it.
 */
public final class SelfSignedTls {

    private static final char[] PASSWORD = "test-only".toCharArray();

    private final SSLContext server;
    private final SSLContext client;
    private final Path trustStore;

    private SelfSignedTls(SSLContext server, SSLContext client, Path trustStore) {
        this.server = server;
        this.client = client;
        this.trustStore = trustStore;
    }

    public static SelfSignedTls create(Path dir) throws Exception {
        Path store = dir.resolve("simulator.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path log = dir.resolve("keytool.log");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "simulator",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("simulator", keys.getCertificate("simulator"));
        Path trustStore = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return new SelfSignedTls(server, client, trustStore);
    }

    /** For the server: holds the private key. */
    public SSLContext server() {
        return server;
    }

    /** JVM options that make a whole JVM trust this certificate, as a user would for a TLS-inspecting proxy. */
    public List<String> trustStoreOptions() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword="
                + new String(PASSWORD), "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    /** For a client: trusts this certificate only. */
    public SSLContext client() {
        return client;
    }
}
