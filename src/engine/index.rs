//! The engine's three index spaces, each its own type so that one cannot be used where another is meant.
//!
//! - [`ActorIx`]: an actor's position in the scenario's file order — the index of every per-actor vector of the
//!   scenario, the world and the trace, and of the round's slots.
//! - [`VoterIx`]: a voter's position in voting order (guarantors, then mediators and observers, then parties, each
//!   in file order), the order of every per-voter column of the plan and the state.
//! - [`Place`]: an actor's place in a column of stated positions θ: the voters first, at their voting-order index,
//!   then the actors that do not vote, in file order. A dimension's voters are therefore one slice of its column.

/// An actor's index in file order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ActorIx(pub usize);

/// A voter's index in voting order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoterIx(pub usize);

/// An actor's place in a column of θ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place(pub usize);

impl From<VoterIx> for Place {
    /// A voter sits at its voting-order index in every column.
    fn from(v: VoterIx) -> Place {
        Place(v.0)
    }
}
