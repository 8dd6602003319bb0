//! `ceasefire`: a simulator of multi-party ceasefire negotiations, for teaching.
//!
//! The library loads and validates scenarios ([`scenario`]), draws one seed's world ([`world`]), runs the
//! negotiation model of `docs/model.md` round by round ([`engine`], whose formulas are all in [`model`]), and writes tidy tables
//! ([`export`]). It never prints and never exits: [`app`] returns text and typed errors, and `main.rs` alone talks
//! to the terminal. Scenario numbers are teaching defaults, not forecasts.

pub mod app;
pub mod chart;
pub mod classroom;
pub mod engine;
pub mod ensemble;
pub mod error;
pub mod experiment;
pub mod explore;
pub mod export;
pub mod gsa;
pub mod input;
pub mod model;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod serve;
pub mod shard;
pub mod summary;
pub mod trace;
pub mod why;
pub mod world;

pub use engine::run;
pub use error::{Error, Result};
pub use scenario::Scenario;
pub use trace::Trace;
