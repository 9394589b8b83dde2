DROP TABLE kg_edges;
DROP TABLE kg_nodes;
DROP TABLE search_outbox;
DROP TABLE products;
DROP TABLE keyword_history;
DROP TABLE keywords;
