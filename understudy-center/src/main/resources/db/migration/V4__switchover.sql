-- Switchover, failover and reinstate: a member's role changes (PRIMARY, STANDBY, or FENCED after a
-- failover), so a member is known by its database, not by its role; the shutdown checkpoint its
-- agent reports once it is DEMOTED; the primary's host moves with the primary role. Written for H2
-- and PostgreSQL alike: the members table is rebuilt rather than altered, as its role check and
-- key have no portable names to drop.
CREATE TABLE members_v4 (
    configuration            VARCHAR(41)              NOT NULL REFERENCES configurations (name) ON DELETE CASCADE,
    member_role              VARCHAR(16)              NOT NULL CHECK (member_role IN ('PRIMARY', 'STANDBY', 'FENCED')),
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
    reported_checkpoint_lsn  VARCHAR(32),
    progress_action          VARCHAR(1000),
    progress_phase           VARCHAR(1000),
    progress_bytes_done      BIGINT,
    progress_bytes_total     BIGINT,
    progress_started_at      TIMESTAMP WITH TIME ZONE,
    progress_changed_at      TIMESTAMP WITH TIME ZONE,
    target_exists            BOOLEAN,
    target_empty             BOOLEAN,
    target_holds_cluster     BOOLEAN,
    target_major_version     VARCHAR(16),
    target_running           BOOLEAN,
    target_system_identifier VARCHAR(20),
    target_inspected_at      TIMESTAMP WITH TIME ZONE,
    seen_state               VARCHAR(16),
    seen_streaming           BOOLEAN                  DEFAULT FALSE NOT NULL,
    PRIMARY KEY (agent, data_directory),
    CONSTRAINT members_v4_port UNIQUE (agent, port)
);
INSERT INTO members_v4 (configuration, member_role, agent, data_directory, port, goal_state, goal_operation_id,
                        goal_changed_at, reported_state, reported_epoch, reported_operation_id, reported_failure,
                        reported_at, progress_action, progress_phase, progress_bytes_done, progress_bytes_total,
                        progress_started_at, progress_changed_at, target_exists, target_empty, target_holds_cluster,
                        target_major_version, target_running, target_system_identifier, target_inspected_at,
                        seen_state, seen_streaming)
SELECT configuration, member_role, agent, data_directory, port, goal_state, goal_operation_id,
       goal_changed_at, reported_state, reported_epoch, reported_operation_id, reported_failure,
       reported_at, progress_action, progress_phase, progress_bytes_done, progress_bytes_total,
       progress_started_at, progress_changed_at, target_exists, target_empty, target_holds_cluster,
       target_major_version, target_running, target_system_identifier, target_inspected_at,
       seen_state, seen_streaming
FROM members;
DROP TABLE members;
ALTER TABLE members_v4 RENAME TO members;
CREATE INDEX members_configuration ON members (configuration);
