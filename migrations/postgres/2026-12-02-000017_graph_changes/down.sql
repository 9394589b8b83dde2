DROP INDEX kg_edges_updated;
DROP INDEX kg_nodes_updated;
ALTER TABLE kg_edges DROP COLUMN updated_at;
