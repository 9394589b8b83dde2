//! Published websites served by the front door at `/sites/{slug}/`.

mod serve;
