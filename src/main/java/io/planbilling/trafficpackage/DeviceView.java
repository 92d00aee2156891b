package io.planbilling.trafficpackage;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A device as its account sees it.
 *
 * @param payMode {@code PACKAGE} while a live package covers it, {@code PAY_AS_YOU_GO}
 * otherwise
 * @param packageId the live package it is bound to, if any
 */
record DeviceView(UUID id, String name, OveragePolicy overagePolicy, PayMode payMode, @Nullable UUID packageId,
        Instant createdAt) {

    public enum PayMode {

        PACKAGE, PAY_AS_YOU_GO

    }
}
