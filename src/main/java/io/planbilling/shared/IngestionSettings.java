package io.planbilling.shared;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Group commit of small ingestion requests ({@code billing.ingestion.*},
 * docs/traffic-packages.md, coalesced requests): see {@link GroupCommit}.
 *
 * @param enabled whether concurrent small usage and sample requests share transactions
 * @param maxWait how long a group waits for more requests while others are on their way
 * (never when none is)
 * @param maxGroupSize most requests in one group
 * @param maxRequestSize most records (or samples) a request may hold to join a group; a
 * larger one is a batch already and runs alone
 * @param workers threads that apply groups, each in its own transaction (groups touching
 * the same packages serialise on their row locks, as concurrent batches do); one by
 * default, so that requests arriving during a group's commit all wait for the next group
 * instead of splitting into two smaller ones (docs/traffic-packages.md)
 */
@ConfigurationProperties("billing.ingestion")
public record IngestionSettings(@DefaultValue("true") boolean enabled, @DefaultValue("PT0.002S") Duration maxWait,
        @DefaultValue("32") int maxGroupSize, @DefaultValue("100") int maxRequestSize, @DefaultValue("1") int workers) {

    public IngestionSettings {
        if (maxGroupSize < 1 || maxRequestSize < 1 || workers < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException(
                    "billing.ingestion: max-group-size, max-request-size and workers must be at least 1, max-wait not negative");
        }
    }

}
