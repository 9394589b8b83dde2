//! `/api/v1/llm`: what the LLM gateway spent, and the daily budgets that bound it. Amounts are
//! integer micro-EUR (`*_micro_eur`, 1 EUR = 1 000 000) in answers; budgets are set in EUR.

pub mod budgets;
pub mod usage;
pub mod view;
