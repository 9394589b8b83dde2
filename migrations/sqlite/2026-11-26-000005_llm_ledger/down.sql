DROP TABLE research_notes;
DROP TABLE llm_budgets;
DROP TABLE llm_calls;
