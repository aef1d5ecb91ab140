package io.github.raaetl;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** graph.cloud through the real settings (application.properties and overrides, as at start-up). */
class CloudSettingsTest {

    private static EtlSettings settings(String... keyValues) throws Exception {
        Properties overrides = new Properties();
        overrides.setProperty("graph.tenant-id", "contoso.onmicrosoft.us");
        overrides.setProperty("graph.client-id", "11111111-2222-3333-4444-555555555555");
        overrides.setProperty("graph.client-secret", "not-a-real-secret");
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.setProperty(keyValues[i], keyValues[i + 1]);
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PropertiesComponent pc = context.getPropertiesComponent();
            pc.setLocation("classpath:application.properties");
            pc.setOverrideProperties(overrides);
            return EtlSettings.from(pc);
        }
    }

    @Test
    void theCloudSetsWhereGraphAndTheLoginAre() throws Exception {
        EtlSettings global = settings();
        assertThat(global.effectiveBaseUrl()).isEqualTo("https://graph.microsoft.com/beta");
        assertThat(global.effectiveLoginUrl()).isEqualTo("https://login.microsoftonline.com");

        EtlSettings gccHigh = settings("graph.cloud", "usgov");
        assertThat(gccHigh.effectiveBaseUrl()).isEqualTo("https://graph.microsoft.us/beta");
        assertThat(gccHigh.effectiveLoginUrl()).isEqualTo("https://login.microsoftonline.us");

        EtlSettings china = settings("graph.cloud", "china");
        assertThat(china.effectiveBaseUrl()).isEqualTo("https://microsoftgraph.chinacloudapi.cn/beta");
        assertThat(china.effectiveLoginUrl()).isEqualTo("https://login.chinacloudapi.cn");
    }

    @Test
    void anExplicitUrlStillWins() throws Exception {
        EtlSettings s = settings("graph.cloud", "usgov-dod", "graph.login-url", "https://login.example.test");
        assertThat(s.effectiveBaseUrl()).isEqualTo("https://dod-graph.microsoft.us/beta");
        assertThat(s.effectiveLoginUrl()).isEqualTo("https://login.example.test");
        assertThat(settings("graph.cloud", "usgov", "graph.base-url", "https://proxy.example.test/beta")
                .effectiveBaseUrl()).isEqualTo("https://proxy.example.test/beta");
    }

    @Test
    void anUnknownCloudStopsTheStartNamingTheSettingAndTheChoices() {
        assertThatThrownBy(() -> settings("graph.cloud", "germany"))
                .isInstanceOf(EtlSettings.InvalidSettingException.class)
                .hasMessageContaining("graph.cloud").hasMessageContaining("usgov-dod");
    }
}
