//! Integration tests: one binary, modules by topic (see `suite/mod.rs`).

mod suite;
