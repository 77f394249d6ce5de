//! Reading rule files: the manager's XML dialect, the model with byte spans, and the
//! manager's load order.

pub mod discover;
pub mod load;
pub mod model;
pub mod names;
pub mod paths;
pub mod platform;
pub mod read;
pub mod salvage;
pub mod span;
pub mod stock;
pub mod xml;

pub use model::*;
pub use span::{LineCol, Span};
