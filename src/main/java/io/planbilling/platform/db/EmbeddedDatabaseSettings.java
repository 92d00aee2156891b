package io.planbilling.platform.db;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL used when no datasource is configured.
 *
 * @param directory where its data lives across restarts ({@code ./.data/postgres})
 * @param port its TCP port on loopback; 0 picks a free one
 */
@ConfigurationProperties("billing.embedded-database")
record EmbeddedDatabaseSettings(@DefaultValue(".data/postgres") Path directory, @DefaultValue("0") int port) {
}
