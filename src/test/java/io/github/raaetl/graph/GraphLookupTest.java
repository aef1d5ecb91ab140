package io.github.raaetl.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lookup rules without a server: what is asked, how pages are followed, what counts as the same record, fallbacks. */
class GraphLookupTest {

    private final ObjectMapper json = new ObjectMapper();
    private final GraphTarget target = new GraphTarget("https://graph.example/beta", false);

    /** Answers GETs from a script, and remembers the URLs asked. */
    private static final class Scripted implements GraphLookup.Http {
        final Deque<GraphLookup.Page> answers = new ArrayDeque<>();
        final List<String> asked = new ArrayList<>();

        Scripted answer(int status, String body) {
            answers.add(new GraphLookup.Page(status, body, null, "req-" + answers.size()));
            return this;
        }

        @Override
        public GraphLookup.Page get(String url) {
            asked.add(url);
            return answers.remove();
        }
    }

    private GraphLookup lookup(Scripted http, GraphLookup.Mode mode) {
        return new GraphLookup(target, http, json, new GraphResponses(json, Clock.systemUTC()), mode,
                Clock.systemUTC());
    }

    private ObjectNode sent() throws Exception {
        return (ObjectNode) json.readTree("""
                {"@odata.type":"#microsoft.graph.remoteActionAudit","managedDeviceId":"dev-'1'","action":"remoteLock",
                 "requestDateTime":"2025-01-15T10:05:00.0000000Z","deviceDisplayName":"PC-1",
                 "deviceActionDetails":[{"key":"ticket","value":"INC1"}]}""");
    }

    @Test
    void filtersOnTheIdentifyingPropertiesFollowsNextLinksAndComparesEveryPropertySent() throws Exception {
        Scripted http = new Scripted()
                .answer(200, """
                        {"value":[{"id":"other","managedDeviceId":"dev-'1'","action":"remoteLock",
                          "requestDateTime":"2025-01-15T10:05:00Z","deviceDisplayName":"PC-2"}],
                         "@odata.nextLink":"https://graph.example/beta/deviceManagement/remoteActionAudits?$skiptoken=x"}""")
                .answer(200, """
                        {"value":[{"id":"the-one","managedDeviceId":"dev-'1'","action":"remoteLock",
                          "requestDateTime":"2025-01-15T10:05:00Z","deviceDisplayName":"PC-1","actionState":"none",
                          "deviceActionDetails":[{"@odata.type":"microsoft.graph.keyValuePair","key":"ticket","value":"INC1"}]}]}""");
        GraphLookup.Result r = lookup(http, GraphLookup.Mode.FILTER).find(sent(), Instant.EPOCH);

        assertThat(r).isInstanceOf(GraphLookup.Found.class);
        assertThat(((GraphLookup.Found) r).id()).isEqualTo("the-one");
        assertThat(http.asked.get(0)).isEqualTo("https://graph.example/beta/deviceManagement/remoteActionAudits?$filter="
                + "managedDeviceId%20eq%20%27dev-%27%271%27%27%27%20and%20action%20eq%20%27remoteLock%27%20and%20"
                + "requestDateTime%20eq%202025-01-15T10%3A05%3A00.0000000Z");
        assertThat(http.asked.get(1)).endsWith("$skiptoken=x");
    }

    @Test
    void nothingMatchingIsAbsentAndAServerErrorIsAFailureToRetry() throws Exception {
        Scripted http = new Scripted().answer(200, "{\"value\":[]}").answer(503, "{\"error\":{\"code\":\"x\"}}");
        GraphLookup lookup = lookup(http, GraphLookup.Mode.FILTER);
        assertThat(lookup.find(sent(), Instant.EPOCH)).isInstanceOf(GraphLookup.Absent.class);
        GraphLookup.Result failed = lookup.find(sent(), Instant.EPOCH);
        assertThat(failed).isInstanceOf(GraphLookup.Failed.class);
        assertThat(((GraphLookup.Failed) failed).status()).isEqualTo(503);
    }

    @Test
    void aRefusedFilterFallsBackToOneListingAndARefusedListingToResendingFlagged() throws Exception {
        Scripted http = new Scripted()
                .answer(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"$filter not supported\"}}")
                .answer(200, """
                        {"value":[{"id":"listed","managedDeviceId":"dev-'1'","action":"remoteLock",
                          "requestDateTime":"2025-01-15T10:05:00Z","deviceDisplayName":"PC-1",
                          "deviceActionDetails":[{"key":"ticket","value":"INC1"}]}]}""");
        GraphLookup lookup = lookup(http, GraphLookup.Mode.FILTER);
        GraphLookup.Result r = lookup.find(sent(), Instant.EPOCH);
        assertThat(r).isInstanceOf(GraphLookup.Found.class);
        assertThat(((GraphLookup.Found) r).how()).isEqualTo("found by listing the collection");
        assertThat(lookup.mode()).isEqualTo(GraphLookup.Mode.SCAN);
        // a request sent before the listing is answered from it, without asking again
        assertThat(lookup.find(sent(), Instant.EPOCH)).isInstanceOf(GraphLookup.Found.class);
        assertThat(http.asked).hasSize(2);

        Scripted refusing = new Scripted().answer(403, "{\"error\":{\"code\":\"Forbidden\"}}");
        GraphLookup scan = lookup(refusing, GraphLookup.Mode.SCAN);
        GraphLookup.Result cannot = scan.find(sent(), Instant.EPOCH);
        assertThat(cannot).isInstanceOf(GraphLookup.CannotLookUp.class);
        assertThat(((GraphLookup.CannotLookUp) cannot).why()).contains("refused listing the collection (403");
        assertThat(scan.mode()).isEqualTo(GraphLookup.Mode.RESEND);
    }

    @Test
    void theSameRecordIsRecognisedWhateverItsFractionDigitsButNotWithAnyPropertyDifferent() throws Exception {
        ObjectNode sent = sent();
        ObjectNode same = sent.deepCopy().put("requestDateTime", "2025-01-15T10:05:00Z").put("id", "x");
        same.put("actionState", "none");
        assertThat(GraphLookup.matches(sent, same)).isTrue();
        assertThat(GraphLookup.matches(sent, same.deepCopy().put("deviceDisplayName", "PC-9"))).isFalse();
        assertThat(GraphLookup.matches(sent, same.deepCopy().put("requestDateTime", "2025-01-15T10:05:01Z"))).isFalse();
        ObjectNode withoutDetails = same.deepCopy();
        withoutDetails.remove("deviceActionDetails");
        assertThat(GraphLookup.matches(sent, withoutDetails)).isFalse();
    }
}
