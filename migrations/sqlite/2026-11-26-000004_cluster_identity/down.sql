DROP TABLE cluster_identity;
