/**
 * The periodic lifecycle job (expiries, renewals, accruals registered by the plan modules
 * as {@link io.planbilling.shared.LifecycleStep}s) and the operator's tools: run it now,
 * and the test clock.
 */
@ApplicationModule(allowedDependencies = { "shared" })
@NullMarked
package io.planbilling.lifecycle;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
