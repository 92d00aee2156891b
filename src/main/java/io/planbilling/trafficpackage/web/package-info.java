/**
 * The HTTP face of traffic packages: controllers and their request records.
 */
@NullMarked
package io.planbilling.trafficpackage.web;

import org.jspecify.annotations.NullMarked;
