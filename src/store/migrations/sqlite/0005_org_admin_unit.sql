-- kyso store — SQLite migration 0005: the administrative unit an organization governs or serves
-- (FORMATS.md §1 `admin_unit`: the statistics office's code, 2 digits for a province, 3 for a
-- district, 5 for a commune), kept per version like agency_code; '' when not given.

ALTER TABLE org_versions ADD COLUMN admin_unit TEXT NOT NULL DEFAULT '';
