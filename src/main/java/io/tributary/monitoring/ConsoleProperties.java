package io.tributary.monitoring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** tributary.hawtio.*: see config/application.yaml for what each one means. */
@ConfigurationProperties("tributary.hawtio")
public record ConsoleProperties(String username, String password, boolean jolokiaWrites) {

    /** Without a password nobody can sign in: the console is off rather than open or on a default. */
    public boolean enabled() {
        return password != null && !password.isEmpty();
    }
}
