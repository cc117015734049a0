-- When a member's reported progress (its long action's phase or bytes, or its reported state) last
-- changed, by the Control Center's clock: a step that stalls is failed after a while without one.
ALTER TABLE members ADD COLUMN progress_changed_at TIMESTAMP WITH TIME ZONE;
