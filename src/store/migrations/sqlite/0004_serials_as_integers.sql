-- kyso store — SQLite migration 0004: certificate serials are integers (FORMATS.md §1 as amended).
--
-- Every stored serial is rewritten in its normal form, the one `openssl x509 -serial` prints
-- and core normalize_serial computes: upper case, two hex digits a byte, no extra leading 00
-- byte (zero is '00'), '-' before the magnitude of a negative one. Before this, a bundle's
-- '009F00…' and a file's '9F00…' (or '7277F52' and '07277F52') were two certificates: rows
-- whose serials are the same integer are merged into one, which keeps the holder, the device,
-- the certificate file (DER), the pem path and a revocation that any of them had. Rows that
-- disagree (two holders, two devices, two different certificate files) cannot be merged: the
-- migrator refuses them first, naming the serials (migration_checks.cpp), and the trigger
-- below refuses them again should that check ever be bypassed. Requests name certificates by
-- serial too (certificate, result_serial, plan_key), and so does replaces_serial: they follow.

-- Old serial -> normal form, for every serial stored anywhere. Texts that are not hex (there
-- should be none) are left as they are.
CREATE TEMP TABLE serial_map (old TEXT PRIMARY KEY NOT NULL, new TEXT NOT NULL);
INSERT INTO serial_map (old, new)
WITH raw (old) AS (
    SELECT serial FROM certificates
    UNION SELECT replaces_serial FROM certificates WHERE replaces_serial <> ''
    UNION SELECT certificate FROM requests WHERE certificate <> ''
    UNION SELECT result_serial FROM requests WHERE result_serial <> ''
),
cleaned (old, t) AS (
    SELECT old, upper(replace(replace(replace(trim(old), ':', ''), ' ', ''), char(9), ''))
    FROM raw
),
signed (old, negative, digits) AS (
    SELECT old, substr(t, 1, 1) = '-', CASE WHEN substr(t, 1, 1) = '-' THEN substr(t, 2) ELSE t END
    FROM cleaned
),
magnitude (old, negative, m) AS (
    SELECT old, negative, ltrim(digits, '0') FROM signed
    WHERE digits <> '' AND digits NOT GLOB '*[^0-9A-F]*'
)
SELECT old,
       CASE WHEN m = '' THEN '00'
            ELSE (CASE WHEN negative THEN '-' ELSE '' END) ||
                 (CASE WHEN length(m) % 2 = 1 THEN '0' ELSE '' END) || m
       END
FROM magnitude;

-- Certificates by the integer they are.
CREATE TEMP TABLE serial_groups AS
SELECT c.rowid AS rid, coalesce(m.new, c.serial) AS new
FROM certificates AS c LEFT JOIN serial_map AS m ON m.old = c.serial;

-- Safety net: a group whose rows disagree is never merged.
CREATE TEMP TABLE serial_conflicts (new TEXT NOT NULL);
CREATE TEMP TRIGGER serial_conflicts_refused BEFORE INSERT ON serial_conflicts
BEGIN
    SELECT RAISE(ABORT, 'certificates whose serials are the same integer have different holders, devices or certificate files; the database was not changed');
END;
INSERT INTO serial_conflicts (new)
SELECT g.new
FROM serial_groups AS g JOIN certificates AS c ON c.rowid = g.rid
GROUP BY g.new
HAVING count(DISTINCT CASE WHEN c.holder_id <> '' THEN c.holder_type || ':' || c.holder_id END) > 1
    OR count(DISTINCT c.device_id) > 1
    OR count(DISTINCT nullif(c.sha256_cert, '')) > 1;

-- The row kept of each group of several: the one read from a certificate file, else a linked
-- one, else the first stored.
CREATE TEMP TABLE serial_keepers AS
SELECT g.new AS new,
       (SELECT g2.rid FROM serial_groups AS g2 JOIN certificates AS c ON c.rowid = g2.rid
        WHERE g2.new = g.new
        ORDER BY c.der IS NULL, c.holder_id = '', g2.rid LIMIT 1) AS rid
FROM serial_groups AS g
GROUP BY g.new
HAVING count(*) > 1;

-- What the kept row lacks, taken from the others of its group.
CREATE TEMP VIEW serial_group_rows AS
SELECT g.new AS new, g.rid AS rid, c.* FROM serial_groups AS g JOIN certificates AS c ON c.rowid = g.rid;

UPDATE certificates AS t SET
    holder_type = coalesce((SELECT r.holder_type FROM serial_group_rows AS r
                            WHERE r.new = k.new AND r.holder_id <> '' LIMIT 1), t.holder_type),
    holder_id = coalesce((SELECT r.holder_id FROM serial_group_rows AS r
                          WHERE r.new = k.new AND r.holder_id <> '' LIMIT 1), t.holder_id),
    device_id = coalesce(t.device_id, (SELECT r.device_id FROM serial_group_rows AS r
                                       WHERE r.new = k.new AND r.device_id IS NOT NULL LIMIT 1)),
    pem = coalesce(nullif(t.pem, ''), (SELECT r.pem FROM serial_group_rows AS r
                                       WHERE r.new = k.new AND r.pem <> '' LIMIT 1), ''),
    replaces_serial = coalesce(nullif(t.replaces_serial, ''),
                               (SELECT r.replaces_serial FROM serial_group_rows AS r
                                WHERE r.new = k.new AND r.replaces_serial <> '' LIMIT 1), ''),
    status = CASE WHEN EXISTS (SELECT 1 FROM serial_group_rows AS r
                               WHERE r.new = k.new AND r.status = 'revoked')
                  THEN 'revoked' ELSE t.status END,
    revoked_on = coalesce((SELECT max(r.revoked_on) FROM serial_group_rows AS r
                           WHERE r.new = k.new AND r.revoked_on <> ''), t.revoked_on),
    revocation_reason = coalesce((SELECT r.revocation_reason FROM serial_group_rows AS r
                                  WHERE r.new = k.new AND r.revocation_reason <> ''
                                  ORDER BY r.revoked_on DESC LIMIT 1), t.revocation_reason)
FROM serial_keepers AS k
WHERE t.rowid = k.rid;

DELETE FROM certificates
WHERE rowid IN (SELECT g.rid FROM serial_groups AS g JOIN serial_keepers AS k ON k.new = g.new
                WHERE g.rid <> k.rid);

-- Every serial in its normal form.
UPDATE certificates SET serial = (SELECT m.new FROM serial_map AS m WHERE m.old = serial)
WHERE serial IN (SELECT old FROM serial_map WHERE old <> new);
UPDATE certificates SET replaces_serial = (SELECT m.new FROM serial_map AS m
                                           WHERE m.old = replaces_serial)
WHERE replaces_serial IN (SELECT old FROM serial_map WHERE old <> new);
UPDATE requests SET certificate = (SELECT m.new FROM serial_map AS m WHERE m.old = certificate)
WHERE certificate IN (SELECT old FROM serial_map WHERE old <> new);
UPDATE requests SET result_serial = (SELECT m.new FROM serial_map AS m
                                     WHERE m.old = result_serial)
WHERE result_serial IN (SELECT old FROM serial_map WHERE old <> new);
-- From-plan keys ('revoke:<serial>', 'change_info:<serial>'), unless the new key is taken.
UPDATE requests AS r SET plan_key = substr(r.plan_key, 1, instr(r.plan_key, ':')) || m.new
FROM serial_map AS m
WHERE m.old <> m.new
  AND (r.plan_key = 'revoke:' || m.old OR r.plan_key = 'change_info:' || m.old)
  AND NOT EXISTS (SELECT 1 FROM requests AS o
                  WHERE o.plan_key = substr(r.plan_key, 1, instr(r.plan_key, ':')) || m.new);

DROP VIEW temp.serial_group_rows;
DROP TABLE temp.serial_keepers;
DROP TRIGGER temp.serial_conflicts_refused;
DROP TABLE temp.serial_conflicts;
DROP TABLE temp.serial_groups;
DROP TABLE temp.serial_map;
