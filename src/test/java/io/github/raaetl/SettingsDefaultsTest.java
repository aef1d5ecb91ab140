package io.github.raaetl;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting's default lives once, in application.properties: a setting the code or the routes read has its
 * default (or, for an optional one, its commented example) there, and nothing there is left that nobody reads.
 */
class SettingsDefaultsTest {

    /**
     * {{key}}, {{?key}} and {{key:default}} placeholders; our settings all have a dot, which tells them from Camel's
     * functions ({{env:AZURE_TENANT_ID:}}).
     */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([a-z][a-z0-9-]*\\.[a-z0-9.-]*)(:[^}]*)?}}");
    /** An optional setting documented by a commented example: "# etl.done-file = ${file:name}.done". */
    private static final Pattern OPTIONAL = Pattern.compile("(?m)^#\\s*([a-z][a-z0-9.-]*)\\s*=");

    @Test
    void everySettingReadHasItsDefaultInApplicationPropertiesAndEveryDefaultThereIsRead() throws Exception {
        String text = Files.readString(Path.of("src/main/resources/application.properties"));
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            file.load(in);
        }
        Set<String> declared = new TreeSet<>(file.stringPropertyNames());
        declared.removeIf(k -> k.startsWith("camel.")); // Camel Main's own, read by Camel
        Set<String> optional = new TreeSet<>();
        Matcher m = OPTIONAL.matcher(text);
        while (m.find()) {
            optional.add(m.group(1));
        }

        Set<String> read = new TreeSet<>(readBySettings());
        read.addAll(placeholders(text));
        try (Stream<Path> routes = Files.walk(Path.of("routes"))) {
            for (Path route : routes.filter(Files::isRegularFile).toList()) {
                read.addAll(placeholders(Files.readString(route)));
            }
        }

        // not settings: values the loader derives from the settings at start-up for the routes (EtlConfiguration)
        read.removeIf(k -> k.startsWith("etl.derived."));
        Set<String> withoutDefault = new TreeSet<>(read);
        withoutDefault.removeAll(declared);
        withoutDefault.removeAll(optional);
        assertThat(withoutDefault).as("settings read with no default (or commented example) in application.properties")
                .isEmpty();
        Set<String> unread = new TreeSet<>(declared);
        unread.removeAll(read);
        assertThat(unread).as("defaults in application.properties that nothing reads").isEmpty();
    }

    /** The keys EtlSettings asks for, recorded on the way to the real properties component. */
    private static Set<String> readBySettings() throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PropertiesComponent real = context.getPropertiesComponent();
            real.setLocation("classpath:application.properties");
            PropertiesComponent recording = (PropertiesComponent) Proxy.newProxyInstance(
                    PropertiesComponent.class.getClassLoader(), new Class<?>[]{PropertiesComponent.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("resolveProperty")) {
                            keys.add((String) args[0]);
                        }
                        return method.invoke(real, args);
                    });
            EtlSettings.from(recording);
            OperationsSettings.from(recording);
        }
        return keys;
    }

    private static Set<String> placeholders(String text) {
        Set<String> keys = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }
}
