package io.planbilling.shared;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes the {@link GroupCommit} of each ingestion stream, with the
 * {@code billing.ingestion.*} settings, and stops them all when the service shuts down
 * (after the web server has let the requests in flight finish).
 */
@Component
public class GroupCommits implements DisposableBean {

    private final IngestionSettings settings;

    private final TransactionTemplate transactions;

    private final MeterRegistry meters;

    private final List<GroupCommit<?, ?>> made = new CopyOnWriteArrayList<>();

    GroupCommits(IngestionSettings settings, TransactionTemplate transactions, MeterRegistry meters) {
        this.settings = settings;
        this.transactions = transactions;
        this.meters = meters;
    }

    /** The group commit of one stream ({@code usage}, {@code samples}). */
    public <T, R> GroupCommit<T, R> create(String stream, GroupCommit.Work<T, R> work) {
        GroupCommit<T, R> groups = new GroupCommit<>(stream, settings, transactions, meters, work);
        made.add(groups);
        return groups;
    }

    @Override
    public void destroy() {
        made.forEach(GroupCommit::close);
    }

}
