-- The primary's lease (DESIGN.md, invariant 1), while automatic failover is on: which member holds
-- it, in which epoch, and until when by the Control Center's clock. Renewed by each reply to the
-- primary's agent; the Control Center promotes a standby only after it has run out.
-- Written for H2 and PostgreSQL alike.
ALTER TABLE configurations ADD COLUMN lease_holder VARCHAR(512);
ALTER TABLE configurations ADD COLUMN lease_epoch BIGINT;
ALTER TABLE configurations ADD COLUMN lease_expires_at TIMESTAMP WITH TIME ZONE;
