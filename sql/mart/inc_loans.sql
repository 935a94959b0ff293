-- inc_loans.sql: the incremental build removes the mart.loan rows of the
-- clients it recomputes (their old rows were counted out of by_attr first);
-- it then COPYs their new ones in.
DELETE FROM mart.loan WHERE client_id IN (SELECT client_id FROM mart_dirty)
