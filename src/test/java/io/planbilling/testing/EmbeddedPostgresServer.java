package io.planbilling.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A real PostgreSQL (zonky's binaries) as a process of its own, for {@code bench/run.sh}
 * on a machine without PostgreSQL: the packaged jar has no embedded database, so the
 * benchmark starts this next to it. Runs until SIGTERM, which stops the server (zonky's
 * shutdown hook).
 *
 * <pre>java -cp target/test-classes:target/classes:&lt;test classpath&gt; io.planbilling.testing.EmbeddedPostgresServer
 *      &lt;data directory&gt; &lt;port&gt;</pre>
 */
public final class EmbeddedPostgresServer {

    private EmbeddedPostgresServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedPostgresServer <data directory> <port>");
            System.exit(2);
        }
        Path directory = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(directory);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .setPort(Integer.parseInt(args[1]))
            .start();
        System.out.println("PostgreSQL ready: " + postgres.getJdbcUrl("postgres", "postgres"));
        new CountDownLatch(1).await();
    }

}
