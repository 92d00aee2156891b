/**
 * Per-caller rate limits, answered with the kernel's problem details.
 */
@ApplicationModule(allowedDependencies = { "shared", "platform.web" })
package io.planbilling.platform.ratelimit;

import org.springframework.modulith.ApplicationModule;
