package io.planbilling.account;

/** Why a ledger entry changed the balance (docs/accounts-and-money.md). */
public enum LedgerKind {

    CREDIT, PURCHASE, RENEWAL, AUTO_RENEWAL, UPGRADE, PEAK_CHANGE, REFUND

}
