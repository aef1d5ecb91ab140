package io.github.raaetl;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The one-way rule of ARCHITECTURE.md, checked on the compiled classes: each stage of the data path imports only
 * what the path hands it, only the wiring knows every stage, and the application never reaches the simulator.
 */
class ArchitectureTest {

    private static final String APP = "io.github.raaetl";
    private static final List<String> ROOMS = List.of("support", "input", "mapping", "graph", "ledger", "outcome",
            "operations", "camel", "simulator");
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(APP);

    @ParameterizedTest(name = "{0} may use {1}")
    @CsvSource(delimiter = '|', value = {
            "support   | ",
            "input     | support",
            "mapping   | input support",
            "graph     | mapping support",
            "ledger    | mapping support",
            "outcome   | input support",
            "operations | outcome support",
            "camel     | input mapping graph ledger outcome operations support",
            "simulator | graph mapping support"})
    void eachRoomUsesOnlyTheRoomsTheDataPathHandsIt(String room, String allowed) {
        Set<String> may = allowed == null ? Set.of() : Set.of(allowed.trim().split("\\s+"));
        String[] forbidden = ROOMS.stream().filter(r -> !r.equals(room) && !may.contains(r))
                .map(r -> APP + "." + r + "..").toArray(String[]::new);
        ArchRule rule = noClasses().that().resideInAPackage(APP + "." + room + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .orShould().dependOnClassesThat().resideInAPackage(APP)
                .because("ARCHITECTURE.md: " + room + " may use " + (may.isEmpty() ? "no other room" : may));
        rule.check(CLASSES);
    }

    @Test
    void theApplicationNeverReachesTheSimulator() {
        noClasses().that().resideInAPackage(APP).should().dependOnClassesThat().resideInAPackage(APP + ".simulator..")
                .because("the embedded Graph is found through graph.EmbeddedGraph and ServiceLoader")
                .check(CLASSES);
    }

    @Test
    void noRoomsDependOnEachOtherInACircle() {
        slices().matching(APP + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void everyRoomHasItsRule() {
        Set<String> found = new TreeSet<>();
        CLASSES.forEach(c -> {
            String rest = c.getPackageName().substring(APP.length());
            if (!rest.isEmpty()) {
                found.add(rest.substring(1).split("\\.")[0]);
            }
        });
        assertThat(found).as("a new package needs its line in the rule above and in ARCHITECTURE.md").isSubsetOf(ROOMS);
    }
}
