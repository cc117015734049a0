-- The Control Center's own state, first version: users and their sessions, enrolled agents, the
-- latest observation of each database, and the event history. Secrets are stored only as hashes.
-- Written for H2 and PostgreSQL alike: standard types, no vendor functions.

CREATE TABLE users (
    name          VARCHAR(64)              NOT NULL PRIMARY KEY,
    password_hash VARCHAR(255)             NOT NULL,
    role          VARCHAR(16)              NOT NULL CHECK (role IN ('admin', 'viewer')),
    language      VARCHAR(16)              DEFAULT 'en' NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- token_hash: hex SHA-256 of the bearer token; the token itself is never stored.
CREATE TABLE sessions (
    token_hash   CHAR(64)                 NOT NULL PRIMARY KEY,
    user_name    VARCHAR(64)              NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- online: the monitor's last verdict, kept so that it records AGENT_OFFLINE / AGENT_ONLINE once per
-- transition. The API computes "online" from last_report_at and the center's clock.
CREATE TABLE agents (
    name           VARCHAR(63)              NOT NULL PRIMARY KEY,
    host           VARCHAR(255)             NOT NULL,
    address        VARCHAR(300)             NOT NULL,
    pid            BIGINT                   NOT NULL,
    version        VARCHAR(64)              NOT NULL,
    token_hash     CHAR(64)                 NOT NULL,
    enrolled_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_report_at TIMESTAMP WITH TIME ZONE,
    online         BOOLEAN                  DEFAULT FALSE NOT NULL
);

-- The latest observation of each database, as its agent reported it (reported state only).
CREATE TABLE databases (
    agent             VARCHAR(63)              NOT NULL REFERENCES agents (name) ON DELETE CASCADE,
    data_directory    VARCHAR(4096)            NOT NULL,
    port              INTEGER                  NOT NULL,
    major_version     VARCHAR(16)              NOT NULL,
    server_version    VARCHAR(64),
    up                BOOLEAN                  NOT NULL,
    role              VARCHAR(16)              NOT NULL,
    reason            VARCHAR(1000),
    current_lsn       VARCHAR(17),
    received_lsn      VARCHAR(17),
    replayed_lsn      VARCHAR(17),
    system_identifier VARCHAR(20),
    observed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (agent, data_directory)
);

CREATE TABLE events (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      TIMESTAMP WITH TIME ZONE NOT NULL,
    actor   VARCHAR(128)             NOT NULL,
    kind    VARCHAR(64)              NOT NULL,
    subject VARCHAR(256)             NOT NULL,
    result  VARCHAR(16)              NOT NULL CHECK (result IN ('OK', 'FAILED', 'INFO')),
    message VARCHAR(4000)            NOT NULL
);
