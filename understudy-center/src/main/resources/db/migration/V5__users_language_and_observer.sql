-- The web UI's users and the observer's settings. Written for H2 and PostgreSQL alike.

-- A user's language is NULL until the user chooses one: the web UI then follows the browser's
-- language. No user could choose one before this version, so none has.
ALTER TABLE users ALTER COLUMN language DROP DEFAULT;
ALTER TABLE users ALTER COLUMN language DROP NOT NULL;
UPDATE users SET language = NULL;
ALTER TABLE users ADD CONSTRAINT users_language CHECK (language IS NULL OR language IN ('en', 'ja'));

CREATE INDEX sessions_user_name ON sessions (user_name);

-- How the observer watches each configuration's primary (issue 5): off until a user turns it on.
ALTER TABLE configurations ADD COLUMN observer_enabled BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE configurations ADD COLUMN observer_action VARCHAR(16) DEFAULT 'NOTIFY' NOT NULL;
ALTER TABLE configurations ADD COLUMN observer_interval_millis BIGINT DEFAULT 500 NOT NULL;
ALTER TABLE configurations ADD COLUMN observer_checks INTEGER DEFAULT 3 NOT NULL;
ALTER TABLE configurations ADD COLUMN observer_max_lag_bytes BIGINT DEFAULT 16777216 NOT NULL;
ALTER TABLE configurations ADD COLUMN observer_auto_reinstate BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE configurations ADD CONSTRAINT configurations_observer_action
    CHECK (observer_action IN ('NOTIFY', 'FAILOVER'));
