//! The published contract: timestamps, and every response conforming to `/openapi.json`.

mod fuzz;
mod generate;
mod timestamps;
