DROP TABLE tasks;
DROP TABLE workflows;
DROP TABLE leads;
DROP TABLE websites;
DROP TABLE api_keys;
DROP TABLE users;
