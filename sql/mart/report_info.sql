-- report_info.sql: the date the mart was built for, and when.
SELECT as_of, to_char(built_at, 'YYYY-MM-DD HH24:MI:SS') FROM mart.build_info
