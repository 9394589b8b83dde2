DROP INDEX tasks_finished;
