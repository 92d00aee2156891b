package io.planbilling.bandwidthplan;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.planbilling.shared.RecordSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The bandwidth samples table (docs/bandwidth-plans.md, samples): one row per network and
 * minute, with the source of the sample that wrote it.
 */
@Repository
class BandwidthSampleRepository {

    private final JdbcClient jdbc;

    BandwidthSampleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes {@code samples} (one per network and minute) in one statement; a minute that
     * already had a sample is replaced. A sample posted over HTTP carries its own
     * request's id, whatever transaction stores it. Answers the keys
     * ({@link Sample#key()}) that were new.
     * @param sources where each sample came from, by its index
     */
    Set<String> store(List<Sample> samples, List<RecordSource> sources) {
        int size = samples.size();
        String[] networks = new String[size];
        String[] minutes = new String[size];
        long[] inbound = new long[size];
        long[] outbound = new long[size];
        String[] rendered = new String[size];
        String[] requestIds = new String[size];
        for (int i = 0; i < size; i++) {
            Sample sample = samples.get(i);
            networks[i] = sample.officeNetworkId().toString();
            minutes[i] = sample.minute().toString();
            inbound[i] = sample.inboundBytes();
            outbound[i] = sample.outboundBytes();
            RecordSource source = sources.get(sample.index());
            rendered[i] = source.render();
            requestIds[i] = source.requestId();
        }
        Set<String> inserted = new HashSet<>();
        jdbc.sql(
                """
                        INSERT INTO bandwidth_samples (office_network_id, minute, inbound_bytes, outbound_bytes, source, request_id)
                        SELECT n, m, i, o, s, coalesce(r, audit_request_id())
                        FROM unnest(CAST(:networks AS uuid[]), CAST(:minutes AS timestamptz[]), CAST(:inbound AS bigint[]),
                                    CAST(:outbound AS bigint[]), CAST(:sources AS text[]), CAST(:requestIds AS varchar[]))
                             AS t (n, m, i, o, s, r)
                        ON CONFLICT (office_network_id, minute) DO UPDATE
                            SET inbound_bytes = excluded.inbound_bytes, outbound_bytes = excluded.outbound_bytes,
                                actor = excluded.actor, request_id = excluded.request_id, source = excluded.source
                        RETURNING office_network_id, minute, (xmax = 0) AS inserted
                        """)
            .param("networks", networks)
            .param("minutes", minutes)
            .param("inbound", inbound)
            .param("outbound", outbound)
            .param("sources", rendered)
            .param("requestIds", requestIds)
            .query(rs -> {
                if (rs.getBoolean("inserted")) {
                    Instant minute = rs.getTimestamp("minute").toInstant();
                    inserted.add(rs.getObject("office_network_id") + "@" + minute);
                }
            });
        return inserted;
    }

}
