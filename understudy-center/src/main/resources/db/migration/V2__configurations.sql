-- Configurations and standby creation: each configuration's members with their goal and reported
-- states kept apart, durable operations and their steps, the latest replication observation of each
-- database, and the lag history. Written for H2 and PostgreSQL alike: standard types, no vendor
-- functions.

-- A database id is AGENT:PORT, so (agent, port) names one database: keep the newest observation of
-- any duplicates the first version allowed, then make it unique.
DELETE FROM databases
WHERE EXISTS (
    SELECT 1 FROM databases newer
    WHERE newer.agent = databases.agent
      AND newer.port = databases.port
      AND (newer.observed_at > databases.observed_at
           OR (newer.observed_at = databases.observed_at AND newer.data_directory > databases.data_directory)));
ALTER TABLE databases ADD CONSTRAINT databases_agent_port UNIQUE (agent, port);

-- running: the postmaster runs, even when it takes no connections (a warm standby).
ALTER TABLE databases ADD COLUMN running BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE databases SET running = up;

-- The PostgreSQL major versions installed on the agent's host, from its last report: "15,16".
ALTER TABLE agents ADD COLUMN installed_major_versions VARCHAR(255) DEFAULT '' NOT NULL;

-- The latest replication observation of a database (pg_stat_replication, slots, WAL receiver), as
-- the JSON of core.protocol.ReplicationObservation.
CREATE TABLE replication_observations (
    agent          VARCHAR(63)              NOT NULL REFERENCES agents (name) ON DELETE CASCADE,
    data_directory VARCHAR(4096)            NOT NULL,
    observation    VARCHAR(1000000)         NOT NULL,
    observed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (agent, data_directory)
);

-- replication_password: generated, sent to the agents in their goals and nowhere else; never shown.
CREATE TABLE configurations (
    name                 VARCHAR(41)              NOT NULL PRIMARY KEY,
    method               VARCHAR(16)              NOT NULL CHECK (method IN ('WAL_STREAMING', 'WAL_SHIPPING')),
    standby_mode         VARCHAR(8)               NOT NULL CHECK (standby_mode IN ('HOT', 'WARM')),
    epoch                BIGINT                   NOT NULL,
    standby_created      BOOLEAN                  NOT NULL,
    slot_name            VARCHAR(63)              NOT NULL,
    replication_user     VARCHAR(63)              NOT NULL,
    replication_password VARCHAR(255)             NOT NULL,
    primary_host         VARCHAR(255)             NOT NULL,
    standby_host         VARCHAR(255)             NOT NULL,
    created_by           VARCHAR(64)              NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per database of a configuration. goal_* is what the Control Center assigned; reported_*,
-- progress_* and target_* what the agent last said (NodeStatus); seen_* the monitor's last verdict,
-- kept so that it records each transition once.
CREATE TABLE members (
    configuration            VARCHAR(41)              NOT NULL REFERENCES configurations (name) ON DELETE CASCADE,
    member_role              VARCHAR(16)              NOT NULL CHECK (member_role IN ('PRIMARY', 'STANDBY')),
    agent                    VARCHAR(63)              NOT NULL,
    data_directory           VARCHAR(4096)            NOT NULL,
    port                     INTEGER                  NOT NULL,
    goal_state               VARCHAR(32)              NOT NULL,
    goal_operation_id        VARCHAR(36),
    goal_changed_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    reported_state           VARCHAR(32),
    reported_epoch           BIGINT                   DEFAULT 0 NOT NULL,
    reported_operation_id    VARCHAR(36),
    reported_failure         VARCHAR(4000),
    reported_at              TIMESTAMP WITH TIME ZONE,
    progress_action          VARCHAR(1000),
    progress_phase           VARCHAR(1000),
    progress_bytes_done      BIGINT,
    progress_bytes_total     BIGINT,
    progress_started_at      TIMESTAMP WITH TIME ZONE,
    target_exists            BOOLEAN,
    target_empty             BOOLEAN,
    target_holds_cluster     BOOLEAN,
    target_major_version     VARCHAR(16),
    target_running           BOOLEAN,
    target_system_identifier VARCHAR(20),
    target_inspected_at      TIMESTAMP WITH TIME ZONE,
    seen_state               VARCHAR(16),
    seen_streaming           BOOLEAN                  DEFAULT FALSE NOT NULL,
    PRIMARY KEY (configuration, member_role),
    CONSTRAINT members_database UNIQUE (agent, data_directory),
    CONSTRAINT members_port UNIQUE (agent, port)
);

-- seq orders operations newest first even when two start in the same microsecond. At most one
-- RUNNING operation per configuration: checked under the configuration's row lock.
CREATE TABLE operations (
    id               VARCHAR(36)              NOT NULL PRIMARY KEY,
    seq              BIGINT GENERATED ALWAYS AS IDENTITY,
    configuration    VARCHAR(41)              NOT NULL REFERENCES configurations (name) ON DELETE CASCADE,
    kind             VARCHAR(32)              NOT NULL,
    state            VARCHAR(16)              NOT NULL CHECK (state IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    requested_by     VARCHAR(64)              NOT NULL,
    replace_existing BOOLEAN                  NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at         TIMESTAMP WITH TIME ZONE,
    message          VARCHAR(4000)
);
CREATE INDEX operations_configuration ON operations (configuration, seq);

CREATE TABLE operation_steps (
    operation_id VARCHAR(36)              NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
    step_number  INTEGER                  NOT NULL,
    name         VARCHAR(1000)            NOT NULL,
    state        VARCHAR(16)              NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'DONE', 'FAILED')),
    started_at   TIMESTAMP WITH TIME ZONE,
    ended_at     TIMESTAMP WITH TIME ZONE,
    message      VARCHAR(4000),
    PRIMARY KEY (operation_id, step_number)
);

-- Lag history: every sample for an hour, and the largest of each minute for a day.
CREATE TABLE lag_samples (
    configuration      VARCHAR(41)              NOT NULL REFERENCES configurations (name) ON DELETE CASCADE,
    at                 TIMESTAMP WITH TIME ZONE NOT NULL,
    lag_bytes          BIGINT                   NOT NULL,
    replay_lag_seconds DOUBLE PRECISION
);
CREATE INDEX lag_samples_configuration_at ON lag_samples (configuration, at);
CREATE INDEX lag_samples_at ON lag_samples (at);

CREATE TABLE lag_minutes (
    configuration      VARCHAR(41)              NOT NULL REFERENCES configurations (name) ON DELETE CASCADE,
    minute_start       TIMESTAMP WITH TIME ZONE NOT NULL,
    lag_bytes          BIGINT                   NOT NULL,
    replay_lag_seconds DOUBLE PRECISION,
    PRIMARY KEY (configuration, minute_start)
);
CREATE INDEX lag_minutes_minute_start ON lag_minutes (minute_start);

CREATE INDEX events_subject ON events (subject);
CREATE INDEX events_kind ON events (kind);
