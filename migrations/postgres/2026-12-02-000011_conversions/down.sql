DROP TABLE conversion_events;
DROP TABLE conversions;
