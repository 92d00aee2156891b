/**
 * The OpenAPI document: its configuration and the nullability of its schemas.
 */
@ApplicationModule(allowedDependencies = { "shared" })
package io.planbilling.platform.openapi;

import org.springframework.modulith.ApplicationModule;
