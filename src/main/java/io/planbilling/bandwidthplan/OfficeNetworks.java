package io.planbilling.bandwidthplan;

import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.planbilling.shared.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Office networks and their cloud phones, for the calling account. */
@Service
class OfficeNetworks {

    private final OfficeNetworkRepository networks;

    private final Clock clock;

    OfficeNetworks(OfficeNetworkRepository networks, Clock clock) {
        this.networks = networks;
        this.clock = clock;
    }

    @Transactional
    public OfficeNetworkView create(UUID accountId, String name, BandwidthRegion region) {
        UUID id = UUID.randomUUID();
        networks.insert(id, accountId, name.strip(), region, clock.instant());
        return get(accountId, id);
    }

    @Transactional(readOnly = true)
    public OfficeNetworkView get(UUID accountId, UUID id) {
        return networks.view(accountId, id).orElseThrow(() -> ProblemException.notFound("Office network", id));
    }

    @Transactional(readOnly = true)
    public PageView<OfficeNetworkView> list(UUID accountId, PageQuery page) {
        return PageView.of(networks.page(accountId, page), page, networks.count(accountId));
    }

    @Transactional
    public CloudPhoneView createPhone(UUID accountId, String name, UUID networkId) {
        networks.find(accountId, networkId).orElseThrow(() -> ProblemException.notFound("Office network", networkId));
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        networks.insertPhone(id, accountId, networkId, name.strip(), now);
        return networks.phone(accountId, id).orElseThrow();
    }

    @Transactional(readOnly = true)
    public CloudPhoneView phone(UUID accountId, UUID id) {
        return networks.phone(accountId, id).orElseThrow(() -> ProblemException.notFound("Cloud phone", id));
    }

    /**
     * The account's phones, optionally of one network (which must then be the account's).
     */
    @Transactional(readOnly = true)
    public PageView<CloudPhoneView> phones(UUID accountId, @Nullable UUID networkId, PageQuery page) {
        if (networkId != null) {
            networks.find(accountId, networkId)
                .orElseThrow(() -> ProblemException.notFound("Office network", networkId));
        }
        return PageView.of(networks.phones(accountId, networkId, page), page,
                networks.countPhones(accountId, networkId));
    }

}
