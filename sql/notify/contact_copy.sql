-- contact_copy.sql: the day's plan into the contact log (notify-plan).
COPY notify.contact (contact_id, client_id, plan_day, local_day, step, channel,
    loans, arrears, max_dpd, priority, window_start, window_end, tz,
    episode_start, due_date, planned_at) FROM STDIN
