/**
 * The clock bean behind the kernel's BillingClock: the system clock, or the adjustable
 * test clock kept in the database.
 */
@ApplicationModule(allowedDependencies = { "shared" })
package io.planbilling.platform.time;

import org.springframework.modulith.ApplicationModule;
