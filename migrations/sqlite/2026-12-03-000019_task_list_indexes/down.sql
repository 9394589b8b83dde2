DROP INDEX tasks_listed_by_agent_and_status;
DROP INDEX tasks_listed_by_status;
DROP INDEX tasks_listed_by_agent;
