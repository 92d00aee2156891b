/**
 * Office networks, cloud phones, premium bandwidth plans with their exclusive IPs,
 * speed-limit rules, bandwidth samples and hourly pay-as-you-go billing
 * (docs/bandwidth-plans.md).
 */
@ApplicationModule(allowedDependencies = { "account", "shared" })
@NullMarked
package io.planbilling.bandwidthplan;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
