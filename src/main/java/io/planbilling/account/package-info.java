/**
 * Accounts, their API keys, the append-only ledger that holds every balance change, and
 * monthly bills.
 */
@ApplicationModule(allowedDependencies = { "shared" })
@NullMarked
package io.planbilling.account;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
