package io.planbilling.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An account. Its balance is never written through this entity: only {@link Ledger}
 * changes it, in the same statement that appends the ledger entry, so the balance is
 * always the sum of the entries.
 */
@Entity
@Table(name = "accounts")
class Account {

    @Id
    private UUID id;

    private String name;

    @Column(insertable = false, updatable = false)
    private BigDecimal balance = BigDecimal.ZERO;

    private Instant createdAt;

    @Version
    private @Nullable Long version;

    protected Account() {
        // for JPA
    }

    Account(String name, Instant createdAt) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    BigDecimal balance() {
        return balance;
    }

    Instant createdAt() {
        return createdAt;
    }

}
