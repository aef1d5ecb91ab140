package io.github.raaetl.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An app registration's certificate for tests, made by the JDK's keytool: a PFX with its password, the same key and
 * certificate as one PEM file, and both in hand.
 */
public record AppCertificate(Path pfx, String password, Path pem, PrivateKey key, X509Certificate certificate) {

    public static AppCertificate create(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        String password = "pfx-" + name + "-password";
        Path pfx = dir.resolve(name + ".pfx");
        Path log = dir.resolve(name + "-keytool.log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + name, "-storetype", "PKCS12", "-keystore", pfx.toString(),
                "-storepass", password, "-keypass", password))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + Files.readString(log));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pfx)) {
            store.load(in, password.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey(name, password.toCharArray());
        X509Certificate cert = (X509Certificate) store.getCertificate(name);
        Path pem = dir.resolve(name + ".pem");
        Files.writeString(pem, armour("CERTIFICATE", cert.getEncoded()) + armour("PRIVATE KEY", key.getEncoded()),
                StandardCharsets.US_ASCII);
        return new AppCertificate(pfx, password, pem, key, cert);
    }

    public static String armour(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
