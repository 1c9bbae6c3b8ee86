package io.tributary.workspace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On the very first start (no workspace at all) creates the "default" workspace, so a fresh install
 * can be used without the admin API. Its key is TRIBUTARY_API_KEY when given, otherwise generated
 * and printed once: it is stored hashed and cannot be shown again. Runs once every bean (Flyway's
 * migration included) is ready and before the web server opens, so no request meets a missing key.
 */
@Component
public class DefaultWorkspaceBootstrap implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(DefaultWorkspaceBootstrap.class);

    private final WorkspaceRepository workspaces;
    private final TransactionTemplate transaction;
    private final String configuredKey;

    public DefaultWorkspaceBootstrap(WorkspaceRepository workspaces, TransactionTemplate transaction,
                                     @Value("${tributary.api-key:}") String configuredKey) {
        this.workspaces = workspaces;
        this.transaction = transaction;
        this.configuredKey = configuredKey;
    }

    @Override
    public void afterSingletonsInstantiated() {
        transaction.executeWithoutResult(status -> {
            workspaces.lockBootstrap();
            if (workspaces.any()) {
                return;
            }
            boolean generated = configuredKey.isBlank();
            String key = generated ? ApiKeys.generate() : configuredKey;
            workspaces.create("default", key);
            if (generated) {
                log.info("Created workspace 'default'. Its API key, shown only this once: {}", key);
            } else {
                log.info("Created workspace 'default' with the API key from TRIBUTARY_API_KEY");
            }
        });
    }
}
