package io.planbilling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code renewal-storm} phase (run by bench/run.sh, not by Gatling), in two commands.
 *
 * <p>
 * {@code seed}: a storm of auto-renewing traffic packages (one {@code DEVICE_1_FLOW_20G} with its device bound each)
 * and auto-renewing monthly bandwidth subscriptions whose cycles all end at one instant (the packages' at one, the
 * subscriptions' a moment later: the template's purchases were a few milliseconds apart). One customer account is
 * made through the service's API — account, credit, devices, packages bought with their devices, one subscription —
 * and then copied in SQL, row by row of what the API wrote (accounts, ledger entries with their running balance,
 * devices, packages, bindings, plans with an address of the pool, terms, peaks), so the state is the service's own at
 * a fraction of the time; only the purchase events, history the lifecycle never reads, are not copied.
 *
 * <p>
 * {@code drive <url,...>}: moves the shared test clock past that instant and asks every instance to run the lifecycle
 * job ({@code POST /api/v1/admin/lifecycle/run}) at once, again whenever a run returns with work left or answers 409
 * {@code LIFECYCLE_BUSY}, while a poller counts successors; then checks exactly once — every package one successor
 * and one {@code AUTO_RENEWAL} entry, every subscription one new term and one {@code AUTO_RENEWAL} entry, every
 * balance the sum of its ledger — and fails when any of it does not hold.
 */
public final class RenewalStorm {

    private static final ObjectMapper json = new ObjectMapper();

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final int PACKAGES = Integer.getInteger("stormPackages", 20_000);

    private static final int SUBSCRIPTIONS = Integer.getInteger("stormSubscriptions", 2_000);

    private static final int PACKAGES_PER_ACCOUNT = Integer.getInteger("stormPackagesPerAccount", 4);

    private static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("stormTimeoutSeconds", 900));

    private RenewalStorm() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection db = DriverManager.getConnection(System.getProperty("jdbcUrl"),
                System.getProperty("jdbcUser"), System.getProperty("jdbcPassword"))) {
            if (args[0].equals("seed")) {
                seed(db);
            }
            else {
                drive(db, List.of(args[1].split(",")), System.getProperty("phase", "renewal-storm"));
            }
        }
    }

    // ---------------------------------------------------------------- seed

    private static void seed(Connection db) throws Exception {
        if (PACKAGES % PACKAGES_PER_ACCOUNT != 0 || SUBSCRIPTIONS > PACKAGES / PACKAGES_PER_ACCOUNT) {
            throw new IllegalArgumentException("packages must be a multiple of packages per account, and there must "
                    + "be at most one subscription per account");
        }
        long started = System.nanoTime();
        String template = templateAccount();
        int accounts = PACKAGES / PACKAGES_PER_ACCOUNT;
        db.setAutoCommit(false);
        try (Statement sql = db.createStatement()) {
            sql.execute("SELECT set_config('billing.actor', 'job:bench-seed', true)");
            sql.execute("CREATE TEMP TABLE storm_clone ON COMMIT DROP AS SELECT n, gen_random_uuid() AS account_id, "
                    + "n < " + SUBSCRIPTIONS + " AS with_plan FROM generate_series(1, " + (accounts - 1) + ") n");
            for (String statement : cloneStatements(template)) {
                sql.execute(statement);
            }
        }
        db.commit();
        db.setAutoCommit(true);
        try (Statement sql = db.createStatement()) {
            sql.execute("ANALYZE");
        }
        System.out.printf(Locale.ROOT, "storm seeded: %d packages over %d accounts, %d subscriptions, in %d ms%n",
                PACKAGES, accounts, SUBSCRIPTIONS, (System.nanoTime() - started) / 1_000_000);
    }

    /** The one customer made through the API; returns its account id. */
    private static String templateAccount() {
        JsonNode account = Fixture.post(Fixture.OPERATOR_KEY, "/api/v1/accounts", "{\"name\":\"storm-customer\"}");
        String id = account.get("id").asText();
        String key = account.get("apiKey").asText();
        // enough for the purchases and two cycles of renewals
        Fixture.post(Fixture.OPERATOR_KEY, "/api/v1/accounts/" + id + "/credits",
                "{\"amount\":{\"amount\":\"100000.00\",\"currency\":\"CNY\"},\"reference\":\"storm-seed\"}");
        for (int p = 0; p < PACKAGES_PER_ACCOUNT; p++) {
            String device = Fixture.post(key, "/api/v1/devices", "{\"name\":\"storm-device-" + p + "\"}")
                .get("id")
                .asText();
            Fixture.post(key, "/api/v1/traffic-packages", "{\"type\":\"DEVICE_1_FLOW_20G\",\"region\":\"GUANGZHOU\","
                    + "\"deviceIds\":[\"" + device + "\"],\"autoRenew\":true}");
        }
        if (SUBSCRIPTIONS > 0) {
            Fixture.post(key, "/api/v1/bandwidth-plans", "{\"region\":\"cn-hangzhou\",\"paymentType\":\"SUBSCRIPTION\","
                    + "\"duration\":{\"unit\":\"MONTH\",\"count\":1},\"autoRenew\":true,\"peakBandwidthMbps\":10}");
        }
        return id;
    }

    /**
     * Copies of the template account's rows for every row of {@code storm_clone}; the accounts without a plan
     * ({@code with_plan} false) leave out the plan and its purchase, and every copied ledger gets its running balance
     * recomputed.
     */
    private static List<String> cloneStatements(String template) {
        String t = "'" + template + "'::uuid";
        return List.of("""
                -- the template's packages were bought a few milliseconds apart: all cycles start and end with the
                -- first one's, so the whole storm falls due at one instant
                UPDATE traffic_packages p SET valid_from = f.valid_from, valid_until = f.valid_until
                FROM (SELECT valid_from, valid_until FROM traffic_packages WHERE account_id = %1$s
                      ORDER BY seq LIMIT 1) f
                WHERE p.account_id = %1$s""".formatted(t), """
                CREATE TEMP TABLE storm_devices ON COMMIT DROP AS
                SELECT c.n, d.id AS old_id, gen_random_uuid() AS new_id
                FROM storm_clone c CROSS JOIN traffic_devices d WHERE d.account_id = %1$s""".formatted(t), """
                CREATE TEMP TABLE storm_packages ON COMMIT DROP AS
                SELECT c.n, p.id AS old_id, gen_random_uuid() AS new_id
                FROM storm_clone c CROSS JOIN traffic_packages p WHERE p.account_id = %1$s""".formatted(t), """
                CREATE TEMP TABLE storm_plans ON COMMIT DROP AS
                SELECT c.n, p.id AS old_id, gen_random_uuid() AS new_id,
                       row_number() OVER (ORDER BY c.n, p.id) AS slot
                FROM storm_clone c CROSS JOIN bandwidth_plans p WHERE p.account_id = %1$s AND c.with_plan""".formatted(t),
                """
                CREATE TEMP TABLE storm_addresses ON COMMIT DROP AS
                SELECT address, row_number() OVER (ORDER BY address) AS slot
                FROM bandwidth_ip_pool WHERE plan_id IS NULL""", """
                CREATE TEMP TABLE storm_ledger ON COMMIT DROP AS
                SELECT c.n, c.account_id AS new_account_id, e.*, coalesce(pk.new_id, pl.new_id) AS new_resource_id,
                       sum(e.amount) OVER (PARTITION BY c.n ORDER BY e.seq) AS running_balance
                FROM storm_clone c
                CROSS JOIN ledger_entries e
                LEFT JOIN storm_packages pk ON pk.n = c.n AND pk.old_id = e.resource_id
                LEFT JOIN storm_plans pl ON pl.n = c.n AND pl.old_id = e.resource_id
                WHERE e.account_id = %1$s
                  AND (e.resource_id IS NULL OR pk.new_id IS NOT NULL OR pl.new_id IS NOT NULL)""".formatted(t), """
                INSERT INTO accounts (id, name, balance, created_at, version, low_balance_threshold, balance_low)
                SELECT c.account_id, a.name || '-' || c.n,
                       (SELECT l.running_balance FROM storm_ledger l WHERE l.n = c.n ORDER BY l.seq DESC LIMIT 1),
                       a.created_at, a.version, a.low_balance_threshold, a.balance_low
                FROM storm_clone c CROSS JOIN accounts a WHERE a.id = %1$s""".formatted(t), """
                INSERT INTO ledger_entries (id, account_id, posted_at, kind, amount, balance_after, resource_type,
                                            resource_id, description, reference)
                SELECT gen_random_uuid(), l.new_account_id, l.posted_at, l.kind, l.amount, l.running_balance,
                       l.resource_type, l.new_resource_id,
                       CASE WHEN l.resource_id IS NULL THEN l.description
                            ELSE replace(l.description, l.resource_id::text, l.new_resource_id::text) END,
                       l.reference
                FROM storm_ledger l ORDER BY l.n, l.seq""", """
                INSERT INTO traffic_devices (id, account_id, name, overage_policy, created_at)
                SELECT m.new_id, c.account_id, d.name, d.overage_policy, d.created_at
                FROM storm_devices m JOIN storm_clone c ON c.n = m.n JOIN traffic_devices d ON d.id = m.old_id
                ORDER BY m.n, d.seq""", """
                INSERT INTO traffic_packages (id, account_id, type, region, status, capacity_bytes, used_bytes,
                    max_devices, auto_renew, price, paid, valid_from, valid_until, ended_at, pending_type,
                    pending_devices, renewal_failure, predecessor_id, deleted_at, created_at)
                SELECT m.new_id, c.account_id, p.type, p.region, p.status, p.capacity_bytes, p.used_bytes,
                    p.max_devices, p.auto_renew, p.price, p.paid, p.valid_from, p.valid_until, p.ended_at,
                    p.pending_type, p.pending_devices, p.renewal_failure, NULL, p.deleted_at, p.created_at
                FROM storm_packages m JOIN storm_clone c ON c.n = m.n JOIN traffic_packages p ON p.id = m.old_id
                ORDER BY m.n, p.seq""", """
                INSERT INTO traffic_bindings (package_id, device_id, bound_at, unbound_at)
                SELECT pk.new_id, dv.new_id, b.bound_at, b.unbound_at
                FROM traffic_bindings b
                JOIN storm_packages pk ON pk.old_id = b.package_id
                JOIN storm_devices dv ON dv.old_id = b.device_id AND dv.n = pk.n""", """
                INSERT INTO bandwidth_plans (id, account_id, region, payment_type, charge_type, duration_unit,
                    duration_count, auto_renew, peak_mbps, status, office_network_id, ip_address, created_at,
                    expires_at, ended_at, billed_until)
                SELECT m.new_id, c.account_id, p.region, p.payment_type, p.charge_type, p.duration_unit,
                    p.duration_count, p.auto_renew, p.peak_mbps, p.status, NULL, a.address, p.created_at,
                    p.expires_at, p.ended_at, p.billed_until
                FROM storm_plans m JOIN storm_clone c ON c.n = m.n JOIN bandwidth_plans p ON p.id = m.old_id
                JOIN storm_addresses a ON a.slot = m.slot""", """
                UPDATE bandwidth_ip_pool pool SET plan_id = m.new_id
                FROM storm_plans m JOIN storm_addresses a ON a.slot = m.slot WHERE pool.address = a.address""", """
                INSERT INTO bandwidth_plan_terms (plan_id, starts_at, ends_at, price_per_mbps)
                SELECT m.new_id, t.starts_at, t.ends_at, t.price_per_mbps
                FROM storm_plans m JOIN bandwidth_plan_terms t ON t.plan_id = m.old_id""", """
                INSERT INTO bandwidth_plan_peaks (plan_id, effective_from, effective_to, peak_mbps)
                SELECT m.new_id, k.effective_from, k.effective_to, k.peak_mbps
                FROM storm_plans m JOIN bandwidth_plan_peaks k ON k.plan_id = m.old_id""");
    }

    // ---------------------------------------------------------------- drive

    private record Progress(long successors, long terms) {
    }

    private static void drive(Connection db, List<String> instances, String phase) throws Exception {
        long packages = count(db, "SELECT count(*) FROM traffic_packages WHERE status = 'ACTIVE' AND auto_renew "
                + "AND predecessor_id IS NULL");
        long plans = count(db, "SELECT count(*) FROM bandwidth_plans WHERE payment_type = 'SUBSCRIPTION' "
                + "AND auto_renew AND status IN ('NOT_ASSOCIATED', 'CHANGING', 'IN_USE')");
        long termsBefore = count(db, "SELECT count(*) FROM bandwidth_plan_terms");
        Instant due;
        try (Statement sql = db.createStatement();
                ResultSet rs = sql.executeQuery("SELECT greatest((SELECT max(valid_until) FROM traffic_packages), "
                        + "(SELECT max(expires_at) FROM bandwidth_plans)) + interval '1 second'")) {
            rs.next();
            due = rs.getTimestamp(1).toInstant();
        }
        send(instances.get(0), "/api/v1/admin/clock", "{\"set\":\"" + due + "\"}");
        System.out.printf("%s: %d packages and %d subscriptions due at %s, %d instance(s)%n", phase, packages, plans,
                due, instances.size());

        AtomicReference<Progress> progress = new AtomicReference<>(new Progress(0, 0));
        AtomicLong packagesDoneAt = new AtomicLong();
        AtomicLong plansDoneAt = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        long started = System.nanoTime();
        long deadline = started + TIMEOUT.toNanos();
        Thread poller = new Thread(() -> {
            try (Connection watch = DriverManager.getConnection(System.getProperty("jdbcUrl"),
                    System.getProperty("jdbcUser"), System.getProperty("jdbcPassword"))) {
                while (!done.get() && System.nanoTime() < deadline) {
                    Progress now = new Progress(
                            count(watch, "SELECT count(*) FROM traffic_packages WHERE predecessor_id IS NOT NULL"),
                            count(watch, "SELECT count(*) FROM bandwidth_plan_terms") - termsBefore);
                    long at = System.nanoTime();
                    progress.set(now);
                    if (now.successors() >= packages) {
                        packagesDoneAt.compareAndSet(0, at);
                    }
                    if (now.terms() >= plans) {
                        plansDoneAt.compareAndSet(0, at);
                    }
                    if (packagesDoneAt.get() != 0 && plansDoneAt.get() != 0) {
                        done.set(true);
                    }
                    Thread.sleep(100);
                }
            }
            catch (SQLException | InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        });
        poller.start();

        Map<String, Map<String, Long>> stepMillis = new TreeMap<>();
        // what each instance's runs did, step by step (e.g. how many renewals each made)
        Map<String, Map<String, Map<String, Long>>> stepCounts = new TreeMap<>();
        Map<String, Long> calls = new LinkedHashMap<>();
        List<Thread> runners = new ArrayList<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (String instance : instances) {
            Thread runner = new Thread(() -> {
                long runs = 0;
                long busy = 0;
                try {
                    while (!done.get() && System.nanoTime() < deadline) {
                        HttpResponse<String> response = post(instance, "/api/v1/admin/lifecycle/run", "");
                        if (response.statusCode() == 409) {
                            busy++;
                            Thread.sleep(200);
                            continue;
                        }
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(instance + " answered " + response.statusCode() + ": "
                                    + response.body());
                        }
                        runs++;
                        for (JsonNode step : json.readTree(response.body()).get("steps")) {
                            if (!step.get("succeeded").asBoolean(true)) {
                                System.out.println(instance + ": step failed: " + step);
                            }
                            synchronized (stepMillis) {
                                stepMillis.computeIfAbsent(step.get("name").asText(), ignored -> new TreeMap<>())
                                    .merge(instance, step.get("durationMillis").asLong(), Long::sum);
                                Map<String, Long> counted = stepCounts
                                    .computeIfAbsent(step.get("name").asText(), ignored -> new TreeMap<>())
                                    .computeIfAbsent(instance, ignored -> new TreeMap<>());
                                step.get("counts")
                                    .properties()
                                    .forEach(count -> counted.merge(count.getKey(), count.getValue().asLong(),
                                            Long::sum));
                            }
                        }
                        Thread.sleep(50); // the poller sees a finished run within 100 ms
                    }
                }
                catch (Exception ex) {
                    failure.compareAndSet(null, ex);
                    done.set(true);
                }
                synchronized (calls) {
                    calls.put(instance, runs);
                    calls.put(instance + " busy", busy);
                }
            });
            runner.start();
            runners.add(runner);
        }
        for (Thread runner : runners) {
            runner.join();
        }
        done.set(true);
        poller.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        if (packagesDoneAt.get() == 0 || plansDoneAt.get() == 0) {
            throw new IllegalStateException(phase + ": not finished within " + TIMEOUT + ": " + progress.get()
                    + " of " + packages + " packages and " + plans + " subscriptions");
        }

        Map<String, Long> violations = exactlyOnce(db, termsBefore);
        boolean once = violations.values().stream().allMatch(v -> v == 0);
        double packageSeconds = (packagesDoneAt.get() - started) / 1e9;
        double planSeconds = (plansDoneAt.get() - started) / 1e9;
        double allSeconds = Math.max(packageSeconds, planSeconds);
        ObjectNode result = json.createObjectNode()
            .put("phase", phase)
            .put("instances", instances.size())
            .put("users", instances.size())
            .put("packages", packages)
            .put("subscriptions", plans)
            .put("secondsToLastSuccessor", packageSeconds)
            .put("secondsToLastSubscriptionRenewal", planSeconds)
            .put("recordsPerSecond", packages / packageSeconds)
            .put("renewalsPerSecond", (packages + plans) / allSeconds)
            .put("exactlyOnce", once);
        result.set("violations", json.valueToTree(violations));
        result.set("lifecycleRuns", json.valueToTree(calls));
        result.set("stepMillis", json.valueToTree(stepMillis));
        result.set("stepCounts", json.valueToTree(stepCounts));
        result.set("responseTimes", json.createObjectNode());
        Path file = Fixture.OUTPUT.resolve("results").resolve(phase + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, result.toString() + "\n");
        System.out.println(result);
        if (!once) {
            throw new IllegalStateException(phase + ": renewed more or less than exactly once: " + violations);
        }
    }

    /** Each check counts what should not exist; all must be 0. */
    private static Map<String, Long> exactlyOnce(Connection db, long termsBefore) throws SQLException {
        Map<String, Long> checks = new LinkedHashMap<>();
        checks.put("packages without exactly one successor", count(db, """
                SELECT count(*) FROM traffic_packages p WHERE p.predecessor_id IS NULL AND p.auto_renew
                  AND (SELECT count(*) FROM traffic_packages s WHERE s.predecessor_id = p.id) <> 1"""));
        checks.put("packages with a renewal failure", count(db,
                "SELECT count(*) FROM traffic_packages WHERE renewal_failure IS NOT NULL"));
        // today's code names the successor in the entry; a package's own id would do as well
        // (counted by one aggregate, not a subquery per successor: the check must not take
        // minutes on a storm of 20 000)
        checks.put("successors without exactly one AUTO_RENEWAL", count(db, """
                WITH renewals AS (SELECT resource_id, count(*) AS n FROM ledger_entries
                                  WHERE kind = 'AUTO_RENEWAL' GROUP BY resource_id)
                SELECT count(*) FROM traffic_packages s
                LEFT JOIN renewals own ON own.resource_id = s.id
                LEFT JOIN renewals ended ON ended.resource_id = s.predecessor_id
                WHERE s.predecessor_id IS NOT NULL AND coalesce(own.n, 0) + coalesce(ended.n, 0) <> 1"""));
        checks.put("AUTO_RENEWAL entries beyond one per renewal", count(db, """
                SELECT (SELECT count(*) FROM ledger_entries WHERE kind = 'AUTO_RENEWAL')
                     - (SELECT count(*) FROM traffic_packages WHERE predecessor_id IS NOT NULL)
                     - (SELECT count(*) FROM bandwidth_plan_terms) + %d""".formatted(termsBefore)));
        checks.put("subscriptions without exactly one new term", count(db, """
                SELECT count(*) FROM bandwidth_plans p WHERE p.payment_type = 'SUBSCRIPTION' AND p.auto_renew
                  AND (SELECT count(*) FROM bandwidth_plan_terms t WHERE t.plan_id = p.id) <> 2"""));
        checks.put("subscriptions without exactly one AUTO_RENEWAL", count(db, """
                WITH renewals AS (SELECT resource_id, count(*) AS n FROM ledger_entries
                                  WHERE kind = 'AUTO_RENEWAL' GROUP BY resource_id)
                SELECT count(*) FROM bandwidth_plans p LEFT JOIN renewals r ON r.resource_id = p.id
                WHERE p.payment_type = 'SUBSCRIPTION' AND p.auto_renew AND coalesce(r.n, 0) <> 1"""));
        checks.put("accounts whose balance is not their ledger's sum", count(db, """
                SELECT count(*) FROM accounts a
                WHERE a.balance <> (SELECT coalesce(sum(l.amount), 0) FROM ledger_entries l WHERE l.account_id = a.id)
                   OR a.balance <> coalesce((SELECT l.balance_after FROM ledger_entries l WHERE l.account_id = a.id
                                             ORDER BY l.seq DESC LIMIT 1), 0)"""));
        return checks;
    }

    private static long count(Connection db, String query) throws SQLException {
        try (PreparedStatement sql = db.prepareStatement(query); ResultSet rs = sql.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void send(String instance, String path, String body) throws Exception {
        HttpResponse<String> response = post(instance, path, body);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(instance + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    private static HttpResponse<String> post(String instance, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(instance + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + Fixture.OPERATOR_KEY)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

}
