/** The audit trail's link from the service to the database: who and which request, on every write transaction. */
@NullMarked
package io.planbilling.shared.audit;

import org.jspecify.annotations.NullMarked;
