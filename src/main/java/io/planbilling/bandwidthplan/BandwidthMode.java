package io.planbilling.bandwidthplan;

/**
 * Which bandwidth an office network uses: the free basic 5 Mbps or an associated premium
 * plan's peak.
 */
enum BandwidthMode {

    BASIC, PREMIUM

}
