//! The integration tests, one crate (one link instead of one per file): each module is one
//! subject. `common` holds the helpers; fixtures, snapshots and the os_xml oracle harness
//! stay in `tests/`.

mod common;

mod bad_input;
mod check_fixtures;
mod cli;
mod coverage;
mod coverage_browser;
mod docs_examples;
mod docs_generated;
mod fix;
mod lint_corpus;
mod manager_reader;
mod navigator_render;
mod reader_corpus;
mod reviewdog;
mod robustness;
mod rules_db_generated;
mod server;
mod stock_subset;
mod suggest;
mod trust;
mod workflow;
