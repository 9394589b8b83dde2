//! The intelligence core through HTTP: research on the offline and a fake provider, the LLM
//! ledger, budgets, usage, and the SSRF guard of competitor fetches.

mod budgets;
mod ledger;
mod research;
mod ssrf;
mod support;
