//! Gateway tests against fake providers on 127.0.0.1 speaking each documented wire format.

mod anthropic;
mod failures;
mod gateway;
mod gemini;
mod openai;
mod support;
