package io.planbilling.account;

/** Why a ledger entry changed the balance (SPEC §2). */
public enum LedgerKind {
    CREDIT, PURCHASE, RENEWAL, AUTO_RENEWAL, UPGRADE, PEAK_CHANGE, REFUND
}
