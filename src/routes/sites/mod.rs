//! Published sites, served by the front door at `/sites/{slug}/`.

pub mod root;
pub mod serve;
