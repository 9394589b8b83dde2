//! `/api/v1/intelligence`: the seed's intelligence routes, each running a task kind and
//! waiting a while for its result.

pub mod research;
pub mod waited;
