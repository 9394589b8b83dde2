-- Each node keeps the knowledge graph in memory and follows the others' writes by reading the
-- rows changed since its last look: edges get the `updated_at` nodes already have, and both
-- are indexed on it. Existing edges are dated at the epoch: every node loaded them at start.
ALTER TABLE kg_edges ADD COLUMN updated_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
CREATE INDEX kg_nodes_updated ON kg_nodes (updated_at);
CREATE INDEX kg_edges_updated ON kg_edges (updated_at);
