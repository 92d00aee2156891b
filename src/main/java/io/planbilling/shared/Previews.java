package io.planbilling.shared;

import java.net.URI;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code ?preview=true} mechanism: the real operation runs, with every rule and every
 * database constraint, inside a transaction that is always rolled back. What it returns
 * (the quote and the resulting state, read inside that transaction) is the preview;
 * nothing is persisted and no after-commit event is published.
 */
@Component
public class Previews {

    private final TransactionTemplate transactions;

    Previews(PlatformTransactionManager transactionManager) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
    }

    /** Runs {@code operation} and rolls everything it did back. */
    public <T> T dryRun(Supplier<T> operation) {
        return transactions.execute(status -> {
            status.setRollbackOnly();
            return operation.get();
        });
    }

    /**
     * Runs {@code operation} for real when {@code preview} is false, as a {@link #dryRun}
     * otherwise.
     */
    public <T> T run(boolean preview, Supplier<T> operation) {
        return preview ? dryRun(operation) : operation.get();
    }

    /**
     * The answer of an operation that quotes a change to an existing resource: the quote
     * when previewing, the resulting state otherwise (docs/api-guide.md, previews).
     */
    public <T> Object answer(boolean preview, Supplier<Quote<T>> operation) {
        Quote<T> quote = run(preview, operation);
        return preview ? quote : quote.result();
    }

    /**
     * The answer of an operation that quotes a new resource: 200 with the quote when
     * previewing, 201 Created with the new resource at {@code location} otherwise.
     */
    public <T> ResponseEntity<Object> created(boolean preview, Supplier<Quote<T>> operation,
            Function<T, String> location) {
        Quote<T> quote = run(preview, operation);
        if (preview) {
            return ResponseEntity.ok(quote);
        }
        return ResponseEntity.created(URI.create(location.apply(quote.result()))).body(quote.result());
    }

}
