/**
 * The platform under the business modules: each sub-package is an application module of
 * its own (HTTP plumbing and problem rendering, security, idempotency, rate limits, the
 * OpenAPI document, the database at start-up, the audit context, the clock bean). No
 * business module uses them; they stand on the kernel ({@code io.planbilling.shared}).
 */
@ApplicationModule(allowedDependencies = {})
package io.planbilling.platform;

import org.springframework.modulith.ApplicationModule;
