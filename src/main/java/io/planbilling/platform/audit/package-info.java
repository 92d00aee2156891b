/**
 * The audit trail's link from the service to the database: who and which request, on
 * every write transaction.
 */
@ApplicationModule(allowedDependencies = { "shared" })
@NullMarked
package io.planbilling.platform.audit;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
