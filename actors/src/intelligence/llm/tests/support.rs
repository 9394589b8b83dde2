//! Shared helpers: provider settings pointing at a fake, fast test options.
