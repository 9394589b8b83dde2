-- The lease's fencing token: raised by every claim and never lowered, so a released attempt's
-- number is never handed out again. `attempts` counts attempts and goes back on a release.
ALTER TABLE tasks ADD COLUMN fence BIGINT NOT NULL DEFAULT 0;
UPDATE tasks SET fence = attempts;
