package io.github.raaetl;

import io.github.raaetl.graph.GraphCloud;
import io.github.raaetl.graph.GraphLookup;
import io.github.raaetl.graph.WriteBudget;
import io.github.raaetl.ledger.LedgerConfig;
import io.github.raaetl.ledger.RecordLedger;
import io.github.raaetl.support.Secrets;
import org.apache.camel.spi.PropertiesComponent;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The application's settings, read once at start-up from Camel's properties (application.properties,
 * then environment variables such as ETL_INBOX or GRAPH_BASE_URL, then -Dkey=value) and checked, so a
 * mistake stops the app with a clear message instead of failing record by record at 2 a.m.
 */
public record EtlSettings(
        Path inbox, Path output, boolean once, boolean dryRun, boolean keepInput,
        long readLockMinAgeMillis, long readLockCheckIntervalMillis, long readLockTimeoutMillis, String doneFile,
        long maxRecordBytes, Character csvDelimiter, Map<String, String> columnAliases, Map<String, Map<String, String>> valueAliases,
        ZoneId timeZone, List<String> dateTimeFormats,
        String baseUrl, String loginUrl, GraphCloud cloud, String tenantId, String clientId, String clientSecret,
        String clientCertificatePath, String clientCertificatePassword, String token,
        int maxAttempts, long retryBaseDelayMillis, long retryMaxDelayMillis, long timeoutMillis, long giveUpAfterMillis,
        int concurrency, WriteBudget.Quota writeQuota, int batchSize,
        boolean ledgerEnabled, String ledgerUrl, String ledgerUser, String ledgerPassword, boolean ledgerSkipDone,
        int ledgerRetentionDays, int ledgerLeaseSeconds, int ledgerClaimAhead, long ledgerGiveUpAfterMillis,
        LedgerConfig.RecordStore ledgerRecordStore, GraphLookup.Mode reconcile,
        long simulatorLatencyMillis, int simulatorThrottlePercent, int simulatorErrorPercent,
        double simulatorRetryAfterSeconds, int simulatorLostAnswerPercent) {

    /** More requests in flight than this gain nothing against Graph's write quota and only draw 429s. */
    public static final int MAX_CONCURRENCY = 64;

    /** Graph takes at most 20 requests in one $batch. */
    public static final int MAX_BATCH = 20;

    /** Records in flight at once: graph.concurrency requests, each with up to graph.batch-size records. */
    public int sendersInFlight() {
        return concurrency * batchSize;
    }

    /** Thrown for a setting that cannot work; the message names the property. */
    public static class InvalidSettingException extends IllegalArgumentException {
        public InvalidSettingException(String message) {
            super(message);
        }
    }

    /**
     * Reads every setting. The defaults are not here: each one lives once, in application.properties (on the class
     * path, below any file, environment variable or -D override), and a setting missing there is an error.
     */
    public static EtlSettings from(PropertiesComponent pc) {
        SettingsReader r = new SettingsReader(pc);
        EtlSettings s = new EtlSettings(
                Path.of(r.text("etl.inbox")),
                Path.of(r.text("etl.output")),
                r.bool("etl.once"),
                r.bool("etl.dry-run"),
                r.bool("etl.keep-input"),
                r.integer("etl.read-lock-min-age-ms", 0),
                r.integer("etl.read-lock-check-interval-ms", 1),
                r.integer("etl.read-lock-timeout-ms", 0),
                doneFile(r.optional("etl.done-file")),
                r.longValue("etl.max-record-bytes", 1024),
                delimiter(r.text("etl.csv.delimiter")),
                pairs("etl.column-aliases", r.text("etl.column-aliases")),
                valueAliases(r.text("etl.value-aliases")),
                zone(r.text("etl.time-zone")),
                list(r.text("etl.date-time-formats")),
                r.text("graph.base-url"),
                r.text("graph.login-url"),
                cloud(r.text("graph.cloud")),
                r.text("graph.tenant-id"),
                r.text("graph.client-id"),
                r.text("graph.client-secret"),
                r.text("graph.client-certificate-path"),
                r.text("graph.client-certificate-password"),
                r.text("graph.token"),
                r.integer("graph.max-attempts", 1),
                r.integer("graph.retry-base-delay-ms", 0),
                r.integer("graph.retry-max-delay-ms", 0),
                r.integer("graph.timeout-ms", 1),
                r.integer("graph.give-up-after-ms", 0),
                r.integer("graph.concurrency", 1),
                quota(r.text("graph.write-quota")),
                r.integer("graph.batch-size", 1),
                r.bool("etl.ledger.enabled"),
                r.text("etl.ledger.url"),
                r.text("etl.ledger.user"),
                r.text("etl.ledger.password"),
                r.bool("etl.ledger.skip-done"),
                r.integer("etl.ledger.retention-days", 1),
                r.integer("etl.ledger.lease-seconds", 5),
                r.integer("etl.ledger.claim-ahead", 1),
                r.longValue("etl.ledger.give-up-after-ms", 0),
                recordStore(r.text("etl.ledger.record-store")),
                reconcile(r.text("etl.reconcile")),
                r.integer("simulator.latency-ms", 0),
                r.integer("simulator.throttle-percent", 0),
                r.integer("simulator.error-percent", 0),
                r.decimal("simulator.retry-after-seconds", 0),
                r.integer("simulator.lost-answer-percent", 0));
        Secrets.register(s.clientSecret());
        Secrets.register(s.clientCertificatePassword());
        Secrets.register(s.ledgerPassword());
        Secrets.register(s.token());
        s.check();
        return s;
    }

    /** No target and no credential configured: rehearse against the embedded simulator. */
    public boolean useSimulator() {
        return baseUrl.isBlank() && token.isBlank() && clientId.isBlank() && clientSecret.isBlank()
                && clientCertificatePath.isBlank();
    }

    public boolean clientCredentials() {
        return !clientId.isBlank() || !clientSecret.isBlank() || !tenantId.isBlank() || !clientCertificatePath.isBlank();
    }

    private void check() {
        if (!clientSecret.isBlank() && !clientCertificatePath.isBlank()) {
            throw new InvalidSettingException("graph.client-secret and graph.client-certificate-path are both set (or "
                    + "AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH): give the app registration's secret or its "
                    + "certificate, not both");
        }
        if (batchSize > MAX_BATCH) {
            throw new InvalidSettingException("graph.batch-size must be 1 (no batching) to " + MAX_BATCH
                    + " (Graph's limit for a $batch), got " + batchSize);
        }
        if (concurrency > MAX_CONCURRENCY) {
            throw new InvalidSettingException("graph.concurrency must be at most " + MAX_CONCURRENCY + " (Intune allows "
                    + "200 writes per 20 s per app and tenant: a few requests in flight already reach it), got "
                    + concurrency);
        }
        if (ledgerEnabled && !ledgerUrl.isBlank() && !ledgerUrl.startsWith("jdbc:sqlite:")
                && !ledgerUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidSettingException("etl.ledger.url must be a jdbc:postgresql://… URL (or jdbc:sqlite:FILE, or "
                    + "empty for the embedded ledger under etl.output), got '"
                    + RecordLedger.withoutCredentials(ledgerUrl) + "'");
        }
        if (useSimulator() || dryRun) {
            return;
        }
        if (!token.isBlank() && clientCredentials()) {
            throw new InvalidSettingException("set either graph.token or graph.tenant-id/client-id/client-secret, not both");
        }
        if (token.isBlank()) {
            List<String> missing = new ArrayList<>();
            if (tenantId.isBlank()) {
                missing.add("graph.tenant-id (or AZURE_TENANT_ID)");
            }
            if (clientId.isBlank()) {
                missing.add("graph.client-id (or AZURE_CLIENT_ID)");
            }
            if (clientSecret.isBlank() && clientCertificatePath.isBlank()) {
                missing.add("graph.client-secret (or AZURE_CLIENT_SECRET), or graph.client-certificate-path (or "
                        + "AZURE_CLIENT_CERTIFICATE_PATH)");
            }
            if (!missing.isEmpty()) {
                throw new InvalidSettingException("no usable credential for " + effectiveBaseUrl() + ": missing "
                        + String.join(", ", missing) + "; or set graph.token");
            }
        }
        String url = effectiveBaseUrl();
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw new InvalidSettingException("graph.base-url must be an http(s) URL, got '" + url + "'");
        }
    }

    /** Entra's login URL: graph.login-url when given, else the cloud's. */
    public String effectiveLoginUrl() {
        return loginUrl.isBlank() ? cloud.loginUrl() : loginUrl;
    }

    private static GraphCloud cloud(String text) {
        try {
            return GraphCloud.of(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("graph.cloud: " + e.getMessage());
        }
    }

    private static WriteBudget.Quota quota(String text) {
        try {
            return WriteBudget.Quota.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("graph.write-quota: " + e.getMessage());
        }
    }

    /** Several loaders may share this ledger (PostgreSQL): files are claimed there, not by marker files. */
    public boolean sharedLedger() {
        return ledgerEnabled && !dryRun && effectiveLedgerUrl().startsWith("jdbc:postgresql:");
    }

    /**
     * The ledger's JDBC URL: etl.ledger.url, or an embedded SQLite file under the output root
     * ({@code <out>/ledger/ledger.db}).
     */
    public String effectiveLedgerUrl() {
        if (!ledgerUrl.isBlank()) {
            return ledgerUrl;
        }
        return "jdbc:sqlite:" + output.toAbsolutePath().normalize().resolve("ledger").resolve("ledger.db");
    }

    private static LedgerConfig.RecordStore recordStore(String text) {
        try {
            return LedgerConfig.RecordStore.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("etl.ledger.record-store must be rocksdb or sqlite, got '" + text + "'");
        }
    }

    private static GraphLookup.Mode reconcile(String text) {
        try {
            return GraphLookup.Mode.of(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("etl.reconcile must be one of " + Arrays.stream(GraphLookup.Mode.values())
                    .map(m -> m.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + text + "'");
        }
    }

    public String effectiveBaseUrl() {
        return baseUrl.isBlank() ? cloud.baseUrl() : baseUrl;
    }

    private static Character delimiter(String text) {
        return switch (text.trim().toLowerCase()) {
            case "", "auto" -> null;
            case ",", "comma" -> ',';
            case ";", "semicolon" -> ';';
            case "tab", "\\t", "\t" -> '\t';
            default -> throw new InvalidSettingException("etl.csv.delimiter must be auto, comma, semicolon or tab, got '" + text + "'");
        };
    }

    /** A done-file name must be per input file, as Camel's doneFileName allows: it names the file it completes. */
    private static String doneFile(Optional<String> pattern) {
        if (pattern.isEmpty()) {
            return null;
        }
        String p = pattern.get();
        if (!p.contains("${file:name}") && !p.contains("${file:name.noext}")) {
            throw new InvalidSettingException("etl.done-file must name the file it completes with ${file:name} or "
                    + "${file:name.noext} (e.g. ${file:name}.done), got '" + p + "'; leave it unset for no done files");
        }
        return p;
    }

    private static ZoneId zone(String text) {
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw new InvalidSettingException("etl.time-zone '" + text + "' is not a time zone (e.g. UTC, Europe/Paris)");
        }
    }

    private static List<String> list(String text) {
        List<String> out = new ArrayList<>();
        for (String p : text.split("\\|")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return out;
    }

    /** "label=value,label=value" into an ordered map. */
    static Map<String, String> pairs(String property, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new InvalidSettingException(property + ": '" + pair.trim() + "' is not label=name");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }

    /** "property.label=member,…" into property → (label → member). */
    static Map<String, Map<String, String>> valueAliases(String text) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        pairs("etl.value-aliases", text).forEach((key, member) -> {
            int dot = key.indexOf('.');
            if (dot <= 0) {
                throw new InvalidSettingException("etl.value-aliases: '" + key + "' must be property.label, e.g. action.Wipe");
            }
            out.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>()).put(key.substring(dot + 1), member);
        });
        return out;
    }

    /** Never print the secret or the token. */
    @Override
    public String toString() {
        return "EtlSettings[inbox=" + inbox + ", output=" + output + ", once=" + once + ", dryRun=" + dryRun
                + ", baseUrl=" + effectiveBaseUrl() + ", tenantId=" + tenantId + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret.isBlank() ? "" : "***") + ", clientCertificatePath=" + clientCertificatePath + ", token=" + (token.isBlank() ? "" : "***")
                + ", ledgerPassword=" + (ledgerPassword.isBlank() ? "" : "***") + "]";
    }
}
