package io.planbilling.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A JDBC slice: a database of its own on the test run's real PostgreSQL
 * ({@link TestDatabase#database}), migrated by Flyway with the service's migrations, and
 * the JDBC pieces the stores are built on — no Spring Boot context. A store's SQL (locks,
 * {@code SKIP LOCKED}, set-based statements, constraints) is tested against it directly.
 */
public final class SqlSlice {

    private static final Map<String, SqlSlice> slices = new ConcurrentHashMap<>();

    private final HikariDataSource dataSource;

    private final DataSourceTransactionManager transactionManager;

    private SqlSlice(String database) {
        TestDatabase.Connection connection = TestDatabase.database(database);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(connection.url());
        config.setUsername(connection.username());
        config.setPassword(connection.password());
        config.setMaximumPoolSize(8);
        config.setPoolName("slice-" + database);
        this.dataSource = new HikariDataSource(config);
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .placeholders(Map.of("billing_zone", "Asia/Shanghai"))
            .load()
            .migrate();
        this.transactionManager = new DataSourceTransactionManager(dataSource);
    }

    /**
     * The slice on database {@code name} (lowercase letters and underscores), migrated.
     */
    public static SqlSlice on(String name) {
        return slices.computeIfAbsent(name, SqlSlice::new);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcClient jdbc() {
        return JdbcClient.create(dataSource);
    }

    public PlatformTransactionManager transactionManager() {
        return transactionManager;
    }

    public TransactionTemplate transactions() {
        return new TransactionTemplate(transactionManager);
    }

    /**
     * A transaction of its own on another connection, even inside another transaction of
     * the same thread: what a concurrent instance would see.
     */
    public TransactionTemplate otherTransaction() {
        TransactionTemplate template = new TransactionTemplate(transactionManager);
        template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return template;
    }

}
