//! The negotiation model of MODEL.md, one idea per file. Every function takes plain numbers and slices and returns
//! numbers, so each formula can be tested on its own; `crate::sim` puts them in the fixed round order.

pub mod aspiration;
pub mod battlefield;
pub mod commitment;
pub mod compliance;
pub mod concession;
pub mod events;
pub mod spoilers;
pub mod text;
pub mod textbook;
pub mod utility;
pub mod votes;
