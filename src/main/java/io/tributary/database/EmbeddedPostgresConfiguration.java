package io.tributary.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The zero-install default: when no spring.datasource.url is configured, a real PostgreSQL runs
 * inside the app with its data under tributary.data-dir, so it survives restarts.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
public class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${tributary.data-dir}") String dataDir) throws IOException {
        Path pgData = Path.of(dataDir, "postgres").toAbsolutePath();
        Files.createDirectories(pgData.getParent());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                // Stopped by Spring as the last bean, not by zonky's own JVM shutdown hook, which on
                // SIGTERM would stop it while syncs still commit their last batch.
                .setRegisterShutdownHook(false)
                // zonky turns these off for test speed; an acknowledged write must survive a crash.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .start();
        log.info("Embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), pgData);
        return postgres;
    }

    /** Pool settings (spring.datasource.hikari.*) apply to the embedded database as to any other. */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        return DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(postgres.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true")
                .username("postgres")
                .build();
    }
}
