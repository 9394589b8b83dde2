//! Clusters of real `empire` processes on 127.0.0.1 sharing the CI PostgreSQL (a cluster
//! refuses SQLite, so these run only when `EMPIRE_TEST_DATABASE_URL` is set; `.ci/run` sets it).

mod membership;
mod node_loss;
mod partition;
mod refusals;
mod tls;

use crate::helpers::database::admin_url;

/// False (with a note) when no PostgreSQL is configured for tests.
fn postgres_available(test: &str) -> bool {
    let available = admin_url().is_some();
    if !available {
        eprintln!("{test}: skipped, a cluster needs PostgreSQL (set EMPIRE_TEST_DATABASE_URL)");
    }
    available
}
