//! The negotiation model of `docs/model.md`, one idea per file: every formula of that page lives here once, in the
//! form the engine calls (iterators or columns where speed needs them), with the plain form beside it where the
//! two differ, as the test oracle. Every function takes plain numbers and slices and returns numbers, so each
//! formula can be tested on its own; `crate::engine` only puts them in the fixed round order.

pub mod aspiration;
pub mod battlefield;
pub mod commitment;
pub mod compliance;
pub mod concession;
pub mod events;
pub mod measures;
pub mod ripeness;
pub mod spoilers;
pub mod text;
pub mod textbook;
pub mod utility;
pub mod votes;
