-- Dashboards count tasks finished per minute over the last half hour.
CREATE INDEX tasks_finished ON tasks (finished_at);
