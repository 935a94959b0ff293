-- writer_lock.sql: taken first by notify-plan and notify-log when they
-- write: a second plan of the day waits for the first, then sees its rows
-- and plans nothing twice.  A function with its owner's rights takes the
-- table lock, so the writer role needs no UPDATE (60_notify.sql).
SELECT notify.take_writer_lock()
