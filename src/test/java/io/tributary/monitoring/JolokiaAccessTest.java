package io.tributary.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import javax.management.ObjectName;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.api.Test;

class JolokiaAccessTest {

    private static final ObjectName ROUTE = name("org.apache.camel:context=tributary,type=routes,name=\"sync-worker\"");
    private static final ObjectName HAWTIO_RBAC = name("hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity");

    @Test
    void readOnlyByDefault() {
        Restrictor restrictor = new JolokiaAccess().jolokiaRestrictor(new ConsoleProperties("admin", "x", false));

        assertThat(restrictor.isTypeAllowed(RequestType.READ)).isTrue();
        assertThat(restrictor.isTypeAllowed(RequestType.LIST)).isTrue();
        assertThat(restrictor.isTypeAllowed(RequestType.WRITE)).isFalse();
        assertThat(restrictor.isAttributeReadAllowed(ROUTE, "ExchangesTotal")).isTrue();
        assertThat(restrictor.isAttributeWriteAllowed(ROUTE, "Tracing")).isFalse();
        assertThat(restrictor.isOperationAllowed(ROUTE, "stop")).isFalse();
        assertThat(restrictor.isOperationAllowed(HAWTIO_RBAC, "canInvoke")).isTrue();
    }

    @Test
    void theSwitchAllowsWritesAndOperations() {
        Restrictor restrictor = new JolokiaAccess().jolokiaRestrictor(new ConsoleProperties("admin", "x", true));

        assertThat(restrictor.isTypeAllowed(RequestType.WRITE)).isTrue();
        assertThat(restrictor.isAttributeWriteAllowed(ROUTE, "Tracing")).isTrue();
        assertThat(restrictor.isOperationAllowed(ROUTE, "stop")).isTrue();
    }

    @Test
    void theJvmCommandLineStaysHiddenEitherWay() {
        ObjectName runtime = name("java.lang:type=Runtime");
        ObjectName diagnostics = name("com.sun.management:type=DiagnosticCommand");
        for (boolean writes : new boolean[] {false, true}) {
            Restrictor restrictor = new JolokiaAccess().jolokiaRestrictor(new ConsoleProperties("admin", "x", writes));

            assertThat(restrictor.isAttributeReadAllowed(runtime, "SystemProperties")).isFalse();
            assertThat(restrictor.isAttributeReadAllowed(runtime, "InputArguments")).isFalse();
            assertThat(restrictor.isAttributeReadAllowed(runtime, "Uptime")).isTrue();
            assertThat(restrictor.isOperationAllowed(diagnostics, "vmCommandLine")).isFalse();
        }
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
