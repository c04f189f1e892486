-- kyso store — PostgreSQL migration 0005: the administrative unit an organization governs or
-- serves (FORMATS.md §1 `admin_unit`), kept per version like agency_code; '' when not given.

ALTER TABLE org_versions ADD COLUMN admin_unit TEXT NOT NULL DEFAULT '';
