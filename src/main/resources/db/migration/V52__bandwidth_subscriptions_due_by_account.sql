-- The bandwidth-plan-expiry step claims due subscriptions an account at a time (docs/operations.md): this index
-- serves its claim, which finds each account's first due subscription among the account's live ones.
CREATE INDEX bandwidth_plans_subscriptions_by_account ON bandwidth_plans (account_id, id)
    WHERE payment_type = 'SUBSCRIPTION' AND status IN ('NOT_ASSOCIATED', 'CHANGING', 'IN_USE');
