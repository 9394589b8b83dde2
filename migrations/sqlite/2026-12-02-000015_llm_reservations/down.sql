DROP TABLE rate_buckets;
DROP TABLE llm_reservations;
