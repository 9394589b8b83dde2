//! Published sites, served by the front door at `/sites/{slug}/`.

pub mod serve;
