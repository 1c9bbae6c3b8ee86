package io.tributary.monitoring;

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
        return console.jolokiaWrites() ? new AllowAllRestrictor() : new ReadOnlyRestrictor();
    }

    /**
     * read, list, search and version; no write; exec only on Hawtio's own security MBeans, whose
     * operations (canInvoke) only answer what the console may show, and without which it does not load.
     */
    static final class ReadOnlyRestrictor extends AllowAllRestrictor {

        @Override
        public boolean isTypeAllowed(RequestType type) {
            return type == RequestType.READ || type == RequestType.LIST || type == RequestType.SEARCH
                    || type == RequestType.VERSION || type == RequestType.EXEC;
        }

        @Override
        public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
            return false;
        }

        @Override
        public boolean isOperationAllowed(ObjectName name, String operation) {
            return "hawtio".equals(name.getDomain()) && "security".equals(name.getKeyProperty("type"));
        }
    }
}
