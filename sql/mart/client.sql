-- client.sql: current clients with personal data masked for the mart:
-- full name -> surname and initials, passport -> its last 3 digits, phone ->
-- its last 4 digits, address -> its first part (the settlement), birth date
-- -> January 1st of the birth year, e-mail -> its first character, "***@"
-- and the domain (ivanova1987@mail.example -> i***@mail.example; no
-- address, or none json2tsv would pass, -> NULL).  Attributes used by
-- breakdowns stay.  The one masking definition, for both builds:
--   @TABLE@    mart.client_next (full build) or mart.client (incremental);
--   @CLIENTS@  which clients: true, or those the incremental build
--              recomputes (fixed strings from build-mart).
-- The WITH belongs to the SELECT, not to the INSERT: Citus pushes an
-- INSERT ... SELECT down to the shards (one per co-located pair) only then;
-- with the WITH above the INSERT it repartitioned the rows through the
-- coordinator.
INSERT INTO @TABLE@ (client_id, fio, passport, gender, birth_date,
    education, count_of_children, job_type, region, family_status, address,
    phone, income, email)
WITH src AS (
    SELECT client_id, fio, passport, gender, birth_date, education,
           count_of_children, job_type, region, family_status, address, phone,
           income, email,
           regexp_split_to_array(btrim(fio), '\s+') AS words
    FROM core.clients_current
    WHERE @CLIENTS@
)
SELECT client_id,
       words[1] || coalesce(' ' || left(words[2], 1) || '.', '')
                || coalesce(' ' || left(words[3], 1) || '.', ''),
       right(regexp_replace(passport, '[^0-9]', '', 'g'), 3),
       gender,
       date_trunc('year', birth_date)::date,
       education, count_of_children, job_type, region, family_status,
       nullif(btrim(split_part(address, ',', 1)), ''),
       right(regexp_replace(phone, '[^0-9]', '', 'g'), 4),
       income,
       left(email, 1) || '***@' || substring(email FROM '@([^@]+)$')
FROM src;
