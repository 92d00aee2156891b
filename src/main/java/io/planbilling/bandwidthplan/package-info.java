/**
 * Office networks, cloud phones, premium bandwidth plans with their exclusive IPs, speed-limit rules, bandwidth
 * samples and hourly pay-as-you-go billing (docs/bandwidth-plans.md).
 */
@NullMarked
package io.planbilling.bandwidthplan;

import org.jspecify.annotations.NullMarked;
