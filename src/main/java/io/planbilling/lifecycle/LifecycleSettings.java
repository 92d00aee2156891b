package io.planbilling.lifecycle;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param interval how often the scheduled run starts ({@code billing.lifecycle.interval})
 * @param scheduled whether the scheduled run is on (tests switch it off and run the job
 * explicitly)
 * @param lockAtMost how long a crashed instance's lock can block the others
 * @param manualWait how long {@code POST /admin/lifecycle/run} waits for a run in
 * progress elsewhere
 */
@ConfigurationProperties("billing.lifecycle")
record LifecycleSettings(@DefaultValue("PT1M") Duration interval, @DefaultValue("true") boolean scheduled,
        @DefaultValue("PT10M") Duration lockAtMost, @DefaultValue("PT30S") Duration manualWait) {
}
