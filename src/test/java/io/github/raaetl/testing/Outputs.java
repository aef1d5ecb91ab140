package io.github.raaetl.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a run wrote under its output root, read the way a user would, and the accounting every test checks. */
public record Outputs(Path root) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static List<Map<String, String>> readCsv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord rec : p) {
                rows.add(new LinkedHashMap<>(rec.toMap()));
            }
            return rows;
        }
    }

    public static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    public List<Map<String, String>> results(String baseName) throws IOException {
        return readCsv(root.resolve("results").resolve(baseName + ".results.csv"));
    }

    public JsonNode summary(String baseName) throws IOException {
        return JSON.readTree(root.resolve("results").resolve(baseName + ".summary.json").toFile());
    }

    /** created + updated + invalid + rejected + retry = records, one row per record, in input order. */
    public List<Map<String, String>> assertAccounted(String baseName, int records) throws IOException {
        List<Map<String, String>> rows = results(baseName);
        assertThat(rows).hasSize(records);
        for (int i = 0; i < rows.size() - 1; i++) {
            assertThat(Long.parseLong(rows.get(i).get("record"))).isLessThan(Long.parseLong(rows.get(i + 1).get("record")));
        }
        assertThat(rows).allSatisfy(r -> assertThat(r.get("outcome"))
                .isIn("created", "updated", "invalid", "rejected", "retry"));
        long retryRows = rows.stream().filter(r -> r.get("outcome").equals("retry")).count();
        long rejectedRows = rows.stream().filter(r -> r.get("outcome").matches("invalid|rejected")).count();
        assertThat(countRecordsIn(root.resolve("retries"), baseName + ".retry.")).isEqualTo(retryRows);
        assertThat(countRecordsIn(root.resolve("rejected"), baseName + ".rejected.")).isEqualTo(rejectedRows);
        return rows;
    }

    /** Records in a retry or rejected file (whatever its format), 0 when there is no such file. */
    public static long countRecordsIn(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            Path f = files.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElse(null);
            if (f == null) {
                return 0;
            }
            String name = f.getFileName().toString();
            if (name.endsWith(".csv") || name.endsWith(".tsv")) {
                char d = name.endsWith(".tsv") ? '\t' : Files.readAllLines(f).get(0).contains(";") ? ';' : ',';
                try (CSVParser p = CSVFormat.RFC4180.builder().setDelimiter(d).setHeader().setSkipHeaderRecord(true).get()
                        .parse(Files.newBufferedReader(f))) {
                    return p.getRecords().size();
                }
            }
            if (name.endsWith(".json")) {
                JsonNode node = JSON.readTree(f.toFile());
                return node.isArray() ? node.size() : node.get("value").size();
            }
            try (Stream<String> lines = Files.lines(f)) {
                return lines.filter(l -> !l.isBlank()).count();
            }
        }
    }
}
