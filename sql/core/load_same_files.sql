-- load_same_files.sql: the newest committed load whose files had exactly
-- the checksums $1 (a text[] of 'entity:sha256', sorted by entity).
SELECT l.load_id, coalesce(l.part::text, ''), l.source, l.finished_at
FROM core.load AS l
WHERE l.status = 'committed'
  AND ARRAY(SELECT f.entity || ':' || f.sha256
            FROM core.load_file AS f
            WHERE f.load_id = l.load_id
            ORDER BY f.entity) = $1::text[]
ORDER BY l.load_id DESC
LIMIT 1
