package io.github.raaetl.graph;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app registration's certificate and its private key (graph.client-certificate-path), from a PEM file holding both
 * or a PFX/PKCS#12 file with its password, read with the JDK's own KeyStore, CertificateFactory and KeyFactory. Only
 * the PEM armour is taken off here: the JDK reads PEM certificates but not PEM keys. Errors name the file and what to
 * do, never the password.
 *
 * @param key   the private key the client assertion is signed with
 * @param chain the certificate first, then any issuers after it in the file
 */
public record ClientCertificate(PrivateKey key, List<X509Certificate> chain) {

    private static final Pattern PEM_CERTIFICATE = Pattern.compile(
            "-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----");
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([^-]*)-----END \\1PRIVATE KEY-----");

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** @param password the PFX's password (ignored for PEM); may be empty */
    public static ClientCertificate load(Path file, String password) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new GraphAuthException("graph.client-certificate-path: cannot read " + file.toAbsolutePath() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean pem = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.US_ASCII).contains("-----BEGIN");
        try {
            return pem ? pem(new String(bytes, StandardCharsets.US_ASCII), file)
                    : pkcs12(bytes, password == null ? "" : password, file);
        } catch (GeneralSecurityException | IOException e) {
            throw new GraphAuthException("graph.client-certificate-path: " + file.toAbsolutePath() + " cannot be read as "
                    + (pem ? "a PEM certificate with its private key" : name.endsWith(".pfx") || name.endsWith(".p12")
                    ? "a PFX/PKCS#12 file (is graph.client-certificate-password right?)" : "a PFX/PKCS#12 or PEM file")
                    + ": " + e.getClass().getSimpleName());
        }
    }

    private static ClientCertificate pem(String text, Path file) throws GeneralSecurityException {
        Matcher m = PEM_KEY.matcher(text);
        if (!m.find()) {
            throw new GraphAuthException("graph.client-certificate-path: " + file.toAbsolutePath() + " holds no private "
                    + "key: a PEM file must hold the certificate and its key (-----BEGIN PRIVATE KEY-----)");
        }
        if (!m.group(1).isEmpty()) {
            // PKCS#1 (RSA PRIVATE KEY) and encrypted PKCS#8 need more than the JDK reads
            throw new GraphAuthException("graph.client-certificate-path: " + file.toAbsolutePath() + " holds a "
                    + m.group(1).trim() + " private key; convert it to an unencrypted PKCS#8 key (openssl pkcs8 -topk8 "
                    + "-nocrypt -in key.pem -out key-pkcs8.pem) or use a PFX file with graph.client-certificate-password");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        // the certificates alone: the JDK's parser stops at the key's block
        StringBuilder certificates = new StringBuilder();
        Matcher c = PEM_CERTIFICATE.matcher(text);
        while (c.find()) {
            certificates.append(c.group()).append('\n');
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(certificates.toString().getBytes(StandardCharsets.US_ASCII)))) {
            chain.add((X509Certificate) cert);
        }
        if (chain.isEmpty()) {
            throw new GraphAuthException("graph.client-certificate-path: " + file.toAbsolutePath() + " holds no "
                    + "certificate: a PEM file must hold the certificate (-----BEGIN CERTIFICATE-----) and its key");
        }
        return new ClientCertificate(key, List.copyOf(chain));
    }

    private static ClientCertificate pkcs12(byte[] bytes, String password, Path file)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] secret = password.toCharArray();
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            store.load(in, secret);
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                PrivateKey key = (PrivateKey) store.getKey(alias, secret);
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) c);
                }
                return new ClientCertificate(key, List.copyOf(chain));
            }
        }
        throw new GraphAuthException("graph.client-certificate-path: " + file.toAbsolutePath() + " holds no private key");
    }
}
