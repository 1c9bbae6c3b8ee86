package io.tributary.monitoring;

import java.util.Set;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.AllowAllRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.RequestType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What Jolokia (and so Hawtio) may do with the MBeans. Read-only unless tributary.hawtio.jolokia-writes:
 * a signed-in console user can look at routes and statistics but cannot stop a route, change an
 * attribute or invoke an operation. Jolokia's servlet picks up a Restrictor bean as its policy.
 */
@Configuration(proxyBeanMethods = false)
class JolokiaAccess {

    @Bean
    Restrictor jolokiaRestrictor(ConsoleProperties console) {
        return new ConsoleRestrictor(console.jolokiaWrites());
    }

    /**
     * read, list, search and version; with writes off no write, and exec only on Hawtio's own
     * security MBeans, whose operations (canInvoke) only answer what the console may show and without
     * which it does not load. Either way the JVM's command line and system properties stay hidden:
     * secrets given as arguments (--tributary.hubspot.client-secret=…) would show there.
     */
    static final class ConsoleRestrictor extends AllowAllRestrictor {

        private static final Set<String> COMMAND_LINE = Set.of("SystemProperties", "InputArguments");

        private final boolean writes;

        ConsoleRestrictor(boolean writes) {
            this.writes = writes;
        }

        @Override
        public boolean isTypeAllowed(RequestType type) {
            return writes || type == RequestType.READ || type == RequestType.LIST || type == RequestType.SEARCH
                    || type == RequestType.VERSION || type == RequestType.EXEC;
        }

        @Override
        public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
            return !(isRuntime(name) && COMMAND_LINE.contains(attribute));
        }

        @Override
        public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
            return writes;
        }

        @Override
        public boolean isOperationAllowed(ObjectName name, String operation) {
            // The diagnostic commands can print the command line and system properties too.
            if (name.getDomain().equals("com.sun.management")) {
                return false;
            }
            return writes || "hawtio".equals(name.getDomain()) && "security".equals(name.getKeyProperty("type"));
        }

        /**
         * Never grants a cross-origin page CORS access (Hawtio calls Jolokia from its own origin,
         * which needs none); the strict check, which would also refuse Hawtio's own same-origin
         * calls behind a proxy, stays off: the console filter refuses cross-site requests itself.
         */
        @Override
        public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
            return onlyWhenStrictCheckingIsEnabled;
        }

        private static boolean isRuntime(ObjectName name) {
            return "java.lang".equals(name.getDomain()) && "Runtime".equals(name.getKeyProperty("type"));
        }
    }
}
