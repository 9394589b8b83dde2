//! The published contract: timestamps, and every response conforming to `/openapi.json`.

mod timestamps;
