-- upsert_by_attr.sql: mart_by_attr_delta into mart.by_attr on a Citus
-- cluster (merge_by_attr.sql on one server).  The delta holds each group's
-- rows from the changed clients' old loan rows (-1, by by_attr.sql) and
-- from their new ones (+1): summed first, added to the group's row (a new
-- group inserted), then the groups of the delta whose loans came to 0
-- deleted (a full build writes a group with a loan: by_attr.sql counts
-- every loan row).  INSERT ... ON CONFLICT and a DELETE, not MERGE: Citus
-- refuses a reference table as MERGE's target.
INSERT INTO mart.by_attr AS m (attribute, value, amount_bin, on_grid, loans,
    active_loans, overdue_loans)
SELECT attribute, value, amount_bin, on_grid, sum(loans), sum(active_loans),
       sum(overdue_loans)
FROM mart_by_attr_delta
GROUP BY attribute, value, amount_bin, on_grid
ON CONFLICT (attribute, amount_bin, on_grid, value) DO UPDATE SET
    loans = m.loans + EXCLUDED.loans,
    active_loans = m.active_loans + EXCLUDED.active_loans,
    overdue_loans = m.overdue_loans + EXCLUDED.overdue_loans;
DELETE FROM mart.by_attr
WHERE (attribute, value, amount_bin, on_grid)
      IN (SELECT attribute, value, amount_bin, on_grid FROM mart_by_attr_delta)
  AND loans = 0
