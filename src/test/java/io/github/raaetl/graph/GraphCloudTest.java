package io.github.raaetl.graph;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The national-cloud table (../shared/notes/graph.md, from Microsoft's deployments page). */
class GraphCloudTest {

    @Test
    void eachCloudHasItsGraphAndLoginHosts() {
        assertThat(GraphCloud.of("global").baseUrl()).isEqualTo("https://graph.microsoft.com/beta");
        assertThat(GraphCloud.of("global").loginUrl()).isEqualTo("https://login.microsoftonline.com");
        assertThat(GraphCloud.of("usgov").baseUrl()).isEqualTo("https://graph.microsoft.us/beta");
        assertThat(GraphCloud.of("USGov").loginUrl()).isEqualTo("https://login.microsoftonline.us");
        assertThat(GraphCloud.of("usgov-dod").baseUrl()).isEqualTo("https://dod-graph.microsoft.us/beta");
        assertThat(GraphCloud.of("usgov-dod").loginUrl()).isEqualTo("https://login.microsoftonline.us");
        assertThat(GraphCloud.of(" china ").baseUrl()).isEqualTo("https://microsoftgraph.chinacloudapi.cn/beta");
        assertThat(GraphCloud.of("china").loginUrl()).isEqualTo("https://login.chinacloudapi.cn");
        // the scope is the Graph root's /.default, derived from the base URL as for any target
        assertThat(new GraphTarget(GraphCloud.of("usgov").baseUrl(), false).origin() + "/.default")
                .isEqualTo("https://graph.microsoft.us/.default");
    }

    @Test
    void anUnknownCloudNamesTheOnesThereAre() {
        assertThatThrownBy(() -> GraphCloud.of("germany")).hasMessageContaining("global, usgov, usgov-dod, china");
    }
}
