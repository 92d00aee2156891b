/**
 * What every module stands on: exact money, the one clock, problem details, callers,
 * paging, previews and the lifecycle step contract.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package io.planbilling.shared;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
