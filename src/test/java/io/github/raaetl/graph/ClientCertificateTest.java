package io.github.raaetl.graph;

import io.github.raaetl.testing.AppCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientCertificateTest {

    @TempDir
    static Path dir;
    private static AppCertificate app;

    @BeforeAll
    static void certificate() throws Exception {
        app = AppCertificate.create(dir, "loader-app");
    }

    @Test
    void aPemWithItsKeyAndAPfxWithItsPasswordGiveTheSameKeyAndCertificate() {
        ClientCertificate pem = ClientCertificate.load(app.pem(), "");
        ClientCertificate pfx = ClientCertificate.load(app.pfx(), app.password());
        assertThat(pem.certificate()).isEqualTo(app.certificate());
        assertThat(pfx.certificate()).isEqualTo(app.certificate());
        assertThat(pem.key().getEncoded()).isEqualTo(app.key().getEncoded());
        assertThat(pfx.key().getEncoded()).isEqualTo(app.key().getEncoded());
    }

    @Test
    void aWrongPasswordIsSaidWithoutThePassword() {
        assertThatThrownBy(() -> ClientCertificate.load(app.pfx(), "not-the-password-123"))
                .isInstanceOf(GraphAuthException.class).hasMessageContaining(app.pfx().toString())
                .hasMessageContaining("graph.client-certificate-password").hasMessageNotContaining("not-the-password-123");
    }

    @Test
    void aPemWithoutKeyOrWithAnRsaKeySaysWhatToDo() throws Exception {
        Path certOnly = Files.writeString(dir.resolve("cert-only.pem"),
                AppCertificate.armour("CERTIFICATE", app.certificate().getEncoded()));
        assertThatThrownBy(() -> ClientCertificate.load(certOnly, "")).hasMessageContaining("holds no private key");

        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.pem"), AppCertificate.armour("CERTIFICATE",
                app.certificate().getEncoded()) + AppCertificate.armour("RSA PRIVATE KEY", new byte[]{1, 2, 3}));
        assertThatThrownBy(() -> ClientCertificate.load(pkcs1, "")).hasMessageContaining("openssl pkcs8 -topk8");

        assertThatThrownBy(() -> ClientCertificate.load(dir.resolve("missing.pem"), ""))
                .hasMessageContaining("cannot read");
    }
}
