package io.planbilling.bandwidthplan;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.ProblemException;
import io.planbilling.shared.SqlArrays;
import java.util.Collection;
import java.util.UUID;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The exclusive public IPv4 addresses of {@code billing.bandwidth.ip-pool}. An address is
 * claimed by updating its pool row: the free row is picked with
 * {@code FOR UPDATE SKIP LOCKED}, so concurrent purchases on any number of instances
 * never get the same address and never wait for each other; the partial unique index on
 * live plans' addresses backs this up.
 */
@Component
class IpPool {

    private final JdbcClient jdbc;

    private final Cidr cidr;

    IpPool(JdbcClient jdbc, BandwidthSettings settings) {
        this.jdbc = jdbc;
        this.cidr = Cidr.parse(settings.ipPool());
    }

    /**
     * Adds the configured block's addresses to the pool table (idempotent; safe on
     * several instances).
     */
    @EventListener(ApplicationReadyEvent.class)
    void fill() {
        jdbc.sql("""
                INSERT INTO bandwidth_ip_pool (address)
                SELECT :base::inet + g FROM generate_series(:first, :last) AS g
                ON CONFLICT (address) DO NOTHING
                """)
            .param("base", cidr.base())
            .param("first", cidr.firstHost())
            .param("last", cidr.lastHost())
            .update();
    }

    /**
     * Claims a free address for {@code planId}; 409 {@code IP_POOL_EXHAUSTED} when none
     * is free.
     */
    String claim(UUID planId) {
        return jdbc.sql("""
                UPDATE bandwidth_ip_pool SET plan_id = :plan
                WHERE address = (SELECT address FROM bandwidth_ip_pool
                                 WHERE plan_id IS NULL AND address <<= :block::inet
                                 ORDER BY address LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING host(address)
                """)
            .param("plan", planId)
            .param("block", cidr.notation())
            .query(String.class)
            .optional()
            .orElseThrow(() -> new ProblemException(ErrorCode.IP_POOL_EXHAUSTED,
                    "Every address of the public IP pool is held by a live plan; none is free."));
    }

    /** Gives the addresses of every plan back to the pool, in one statement. */
    void releaseAll(Collection<UUID> planIds) {
        if (!planIds.isEmpty()) {
            jdbc.sql(
                    "UPDATE bandwidth_ip_pool SET plan_id = NULL WHERE plan_id IN (SELECT unnest(CAST(:plans AS uuid[])))")
                .param("plans", SqlArrays.uuids(planIds))
                .update();
        }
    }

    /** An IPv4 block such as {@code 198.51.100.0/24}. */
    record Cidr(String base, int prefix) {

        static Cidr parse(String notation) {
            String[] parts = notation.strip().split("/");
            if (parts.length != 2) {
                throw new IllegalArgumentException("billing.bandwidth.ip-pool must be an IPv4 CIDR block: " + notation);
            }
            String[] octets = parts[0].split("\\.");
            int prefix = Integer.parseInt(parts[1]);
            // at most 65,536 addresses: the pool table is filled at start-up
            if (octets.length != 4 || prefix < 16 || prefix > 32) {
                throw new IllegalArgumentException(
                        "billing.bandwidth.ip-pool must be an IPv4 block /16 to /32: " + notation);
            }
            long address = 0;
            for (String octet : octets) {
                int value = Integer.parseInt(octet);
                if (value < 0 || value > 255) {
                    throw new IllegalArgumentException("Not an IPv4 address: " + parts[0]);
                }
                address = (address << 8) | value;
            }
            long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
            long network = address & mask;
            return new Cidr(((network >> 24) & 255) + "." + ((network >> 16) & 255) + "." + ((network >> 8) & 255) + "."
                    + (network & 255), prefix);
        }

        long size() {
            return 1L << (32 - prefix);
        }

        /**
         * Offsets from the base; the network and broadcast addresses are skipped for
         * blocks of 4 or more.
         */
        long firstHost() {
            return size() >= 4 ? 1 : 0;
        }

        long lastHost() {
            return size() >= 4 ? size() - 2 : size() - 1;
        }

        String notation() {
            return base + "/" + prefix;
        }
    }

}
