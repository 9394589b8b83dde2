-- Login tokens issued before this Unix second are refused: set on a password change or a
-- permission reduction, so those end the user's sessions.
ALTER TABLE users ADD COLUMN tokens_valid_after INTEGER NOT NULL DEFAULT 0;
