/**
 * The database at start-up: an embedded PostgreSQL for development, and a clear stop when
 * a packaged service has no datasource.
 */
@ApplicationModule(allowedDependencies = {})
package io.planbilling.platform.db;

import org.springframework.modulith.ApplicationModule;
