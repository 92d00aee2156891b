/**
 * The Idempotency-Key filter: stored responses replayed for a retried request, and a
 * conflict for a reused key with another body.
 */
@ApplicationModule(allowedDependencies = { "shared", "platform.web" })
package io.planbilling.platform.idempotency;

import org.springframework.modulith.ApplicationModule;
