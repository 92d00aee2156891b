package io.planbilling.trafficpackage;

import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.planbilling.shared.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Acceleration devices of an account (docs/traffic-packages.md): what packages bind and
 * usage is metered for.
 */
@Service
class Devices {

    /** Later than any instant a usage record can carry. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final DeviceRepository devices;

    private final Clock clock;

    Devices(DeviceRepository devices, Clock clock) {
        this.devices = devices;
        this.clock = clock;
    }

    @Transactional
    public DeviceView create(UUID accountId, String name, @Nullable OveragePolicy policy) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        devices.insert(id, accountId, name.strip(), policy == null ? OveragePolicy.PAY_AS_YOU_GO : policy, now);
        return get(accountId, id);
    }

    @Transactional(readOnly = true)
    public DeviceView get(UUID accountId, UUID id) {
        return devices.find(accountId, id, clock.instant()).orElseThrow(() -> ProblemException.notFound("Device", id));
    }

    /**
     * Newest first; {@code bound=false} lists the devices free to bind,
     * {@code bound=true} those on a live package.
     */
    @Transactional(readOnly = true)
    public PageView<DeviceView> list(UUID accountId, @Nullable Boolean bound, PageQuery page) {
        Instant now = clock.instant();
        return PageView.of(devices.page(accountId, bound, now, page), page, devices.count(accountId, bound, now));
    }

    /**
     * Renames and/or changes the overage policy; a policy change applies to traffic
     * metered from then on.
     */
    @Transactional
    public DeviceView update(UUID accountId, UUID id, @Nullable String name, @Nullable OveragePolicy policy) {
        if (!devices.update(accountId, id, name == null ? null : name.strip(), policy)) {
            throw ProblemException.notFound("Device", id);
        }
        return get(accountId, id);
    }

    /**
     * Traffic that occurred in {@code [from, to)}; {@code from} defaults to the
     * beginning, {@code to} to now.
     */
    @Transactional(readOnly = true)
    public DeviceUsageView usage(UUID accountId, UUID id, @Nullable Instant from, @Nullable Instant to) {
        Instant now = clock.instant();
        devices.find(accountId, id, now).orElseThrow(() -> ProblemException.notFound("Device", id));
        Instant start = from == null ? Instant.EPOCH : from;
        Instant end = to == null ? now : to;
        if (!start.isBefore(end)) {
            throw ProblemException.invalid("from", "must be before to");
        }
        // no record lies outside [EPOCH, LATEST]; clamping keeps extreme instants away
        // from the database's range
        start = start.isBefore(Instant.EPOCH) ? Instant.EPOCH : start;
        end = end.isAfter(LATEST) ? LATEST : end;
        return devices.usage(id, start, end);
    }

}
