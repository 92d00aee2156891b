/**
 * Bearer API keys: the filter chain, the operator key, the authentication provider over
 * the kernel's account key lookup, and the failed-authentication throttle.
 */
@ApplicationModule(allowedDependencies = { "shared", "platform.web" })
package io.planbilling.platform.security;

import org.springframework.modulith.ApplicationModule;
