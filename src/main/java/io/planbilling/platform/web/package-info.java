/**
 * HTTP plumbing every module's API stands on: problem rendering for every error (the
 * advice, the error controller, Tomcat's valve), strict JSON, the Accept and body-limit
 * filters, request ids and the database-outage answer.
 */
@ApplicationModule(allowedDependencies = { "shared" })
package io.planbilling.platform.web;

import org.springframework.modulith.ApplicationModule;
