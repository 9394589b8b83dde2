//! Parsers for imported data files: keyword-tool exports and AWIN product feeds.
