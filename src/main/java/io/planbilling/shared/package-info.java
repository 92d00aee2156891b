/**
 * What every module stands on: exact money, the one clock, problem details, callers,
 * paging, previews, the lifecycle step contract and the one loop over claimed chunks
 * ({@code SkipLockedChunks}).
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package io.planbilling.shared;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
