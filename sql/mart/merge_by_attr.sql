-- merge_by_attr.sql: mart_by_attr_delta into mart.by_attr.  The delta
-- holds each group's rows from the changed clients' old loan rows (-1, by
-- by_attr.sql) and from their new ones (+1): summed first; a group goes when
-- its loans come to 0 (a full build writes a group with a loan: by_attr.sql
-- counts every loan row), a new one comes when they are not 0.
MERGE INTO mart.by_attr AS m
USING (SELECT attribute, value, amount_bin, on_grid, sum(loans) AS loans,
              sum(active_loans) AS active_loans, sum(overdue_loans) AS overdue_loans
       FROM mart_by_attr_delta
       GROUP BY attribute, value, amount_bin, on_grid) AS d
   ON m.attribute = d.attribute AND m.value = d.value
  AND m.amount_bin = d.amount_bin AND m.on_grid = d.on_grid
WHEN MATCHED AND m.loans + d.loans = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET loans = m.loans + d.loans,
    active_loans = m.active_loans + d.active_loans,
    overdue_loans = m.overdue_loans + d.overdue_loans
WHEN NOT MATCHED AND d.loans <> 0 THEN INSERT (attribute, value, amount_bin, on_grid,
    loans, active_loans, overdue_loans)
    VALUES (d.attribute, d.value, d.amount_bin, d.on_grid, d.loans, d.active_loans,
            d.overdue_loans);
