-- The one definition of a live traffic package (docs/traffic-packages.md): ACTIVE and not yet past its validity at
-- the given instant. Every query that asks "is this package live?" calls it, and TrafficPackage.isLive says the same
-- in Java (TrafficPackageLiveFunctionTest proves they agree).
--
-- A single-expression SQL function that is IMMUTABLE (the instant is a parameter, never now()), not STRICT and not
-- SECURITY DEFINER is inlined by the planner into the calling query, so `traffic_package_live(p.status, p.valid_until,
-- :now)` plans exactly like the expression it stands for and the partial index traffic_packages_due (valid_until)
-- WHERE status = 'ACTIVE' still serves it.
CREATE FUNCTION traffic_package_live(status varchar, valid_until timestamptz, at timestamptz) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT status = 'ACTIVE' AND at < valid_until
$$;
