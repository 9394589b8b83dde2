-- One row naming this database: cluster nodes compare it to make sure they share one store.
CREATE TABLE cluster_identity (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    id         TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
