-- WAL shipping: the secret of the agents' file-transfer channel (generated, sent to the agents in
-- their goals and nowhere else; never shown; empty for configurations made before, which stream),
-- and the primary's archive_timeout, which bounds how stale a WAL-shipping standby may be on a
-- quiet primary.
ALTER TABLE configurations ADD COLUMN transfer_secret VARCHAR(255) DEFAULT '' NOT NULL;
ALTER TABLE configurations ADD COLUMN archive_timeout_seconds BIGINT DEFAULT 60 NOT NULL;
