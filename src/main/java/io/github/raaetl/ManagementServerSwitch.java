package io.github.raaetl;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * etl.http-port is the one switch of health and metrics: a port set turns Camel's management server on. Camel Main
 * reads camel.management.enabled before any configuration class runs, so it is derived here, once the properties are
 * loaded and before Camel configures itself from them.
 */
final class ManagementServerSwitch extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent pc = main.getCamelContext().getPropertiesComponent();
        boolean on = pc.resolveProperty("etl.http-port").map(String::trim).filter(p -> !p.isEmpty() && !p.equals("0"))
                .isPresent();
        pc.addOverrideProperty("camel.management.enabled", String.valueOf(on));
    }
}
