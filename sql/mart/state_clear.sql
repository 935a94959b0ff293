-- state_clear.sql: a mart built from a core that is not versioned has no
-- state to start an incremental build from.
DELETE FROM mart.build_state
