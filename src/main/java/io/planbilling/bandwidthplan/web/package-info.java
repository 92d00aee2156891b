/** The HTTP face of the bandwidth plan module: controllers and their request records. */
@NullMarked
package io.planbilling.bandwidthplan.web;

import org.jspecify.annotations.NullMarked;
