package io.planbilling.bandwidthplan;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the bandwidth plan module ({@code billing.bandwidth.*}).
 *
 * @param regions where plans and office networks can be (docs/bandwidth-plans.md)
 * @param ipPool the IPv4 CIDR block (/16 to /32) that exclusive plan addresses come from;
 * network and broadcast addresses are not handed out for blocks of 4 addresses or more
 * @param associationInterval the fixed delay of the worker that applies {@code CHANGING}
 * associations
 * @param trafficSettleDelay how long after an hour ends its pay-by-traffic charge waits
 * for late samples
 */
@ConfigurationProperties("billing.bandwidth")
record BandwidthSettings(@DefaultValue( {
        "cn-hangzhou", "cn-shanghai", "cn-shenzhen", "ap-southeast-1" }) List<String> regions,
        @DefaultValue("198.51.100.0/24") String ipPool, @DefaultValue("PT1S") Duration associationInterval,
        @DefaultValue("PT5M") Duration trafficSettleDelay){

    /**
     * The free basic bandwidth of every office network, in Mbps
     * (docs/bandwidth-plans.md).
     */
    public static final int BASIC_PEAK_MBPS = 5;

    /**
     * The configured region named {@code value}; 400 {@code VALIDATION_FAILED} on
     * {@code region} listing the configured ones otherwise.
     */
    BandwidthRegion region(String value) {
        return BandwidthRegion.of(value, regions);
    }

}
