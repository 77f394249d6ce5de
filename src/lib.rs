//! wazuh-mitre: lint, suggest and fix MITRE ATT&CK tags in Wazuh rule files.
//!
//! Data flows one way: [`ruleset`] reads files into a model with byte spans, [`checks`],
//! [`suggest`] and [`coverage`] analyse it against the [`attack`] database, [`rewrite`]
//! turns fixes into new bytes, and [`report`] renders. Only `report` knows about terminals.

pub mod attack;
pub mod checks;
pub mod cli;
pub mod config;
pub mod coverage;
pub mod generated;
pub mod lint;
pub mod project;
pub mod report;
pub mod rewrite;
pub mod ruleset;
pub mod server;
pub mod suggest;
