/**
 * Prepaid traffic packages for acceleration devices (docs/traffic-packages.md): devices,
 * the catalog, purchase and binding, usage deduction with carry-over and auto-renewal,
 * tier changes, renewal, unsubscribe, and pay-as-you-go overage.
 */
@ApplicationModule(allowedDependencies = { "account", "shared" })
@NullMarked
package io.planbilling.trafficpackage;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
