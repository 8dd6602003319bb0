//! The run's random streams, each keyed by (seed, purpose, actor) so that two variants of a scenario run with one
//! seed see the same luck (common random numbers), and adding an actor changes no other actor's draws.

use rand_chacha::ChaCha8Rng;

use crate::model::votes;
use crate::rng::{self, fnv1a};
use crate::scenario::{Role, Scenario};

pub(super) struct Streams {
    pub events: ChaCha8Rng,
    pub recognition: ChaCha8Rng,
    /// Voters, compliance parties and spoilers draw, each from its own stream. Votes draw only when they are
    /// noisy (accept temperature > 0); otherwise there are no vote streams.
    pub votes: Option<PerActor>,
    pub violations: PerActor,
    pub attacks: PerActor,
}

/// One purpose's streams: one per actor that draws for it, keyed "<purpose>/<ACTOR>", and one unused stream
/// (keyed "<purpose>/") for every actor that never draws for it.
pub(super) struct PerActor {
    streams: Vec<ChaCha8Rng>,
    /// The index in `streams` of each actor's stream (0, the unused one, for actors that never draw).
    slot: Vec<usize>,
}

impl PerActor {
    fn new(sc: &Scenario, seed: u64, purpose: &str, wanted: impl Fn(usize) -> bool) -> PerActor {
        let prefix = rng::fnv1a_extend(fnv1a(purpose), "/");
        let drawing = (0..sc.actors.len()).filter(|&i| wanted(i)).count();
        let mut streams = Vec::with_capacity(1 + drawing);
        streams.push(rng::chacha(seed, prefix));
        let slot = (0..sc.actors.len())
            .map(|i| {
                if wanted(i) {
                    streams.push(rng::chacha(
                        seed,
                        rng::fnv1a_extend(prefix, &sc.actors[i].id),
                    ));
                    streams.len() - 1
                } else {
                    0
                }
            })
            .collect();
        PerActor { streams, slot }
    }

    /// Actor `i`'s stream.
    pub fn of(&mut self, i: usize) -> &mut ChaCha8Rng {
        &mut self.streams[self.slot[i]]
    }
}

impl Streams {
    pub fn new(sc: &Scenario, seed: u64) -> Streams {
        let role = |i: usize| sc.actors[i].role;
        Streams {
            events: rng::chacha(seed, fnv1a("events")),
            recognition: rng::chacha(seed, fnv1a("recognition")),
            votes: votes::noisy(sc.simulation.accept_temperature)
                .then(|| PerActor::new(sc, seed, "votes", |i| sc.actors[i].is_voter())),
            violations: PerActor::new(sc, seed, "violations", |i| role(i) == Role::Party),
            attacks: PerActor::new(sc, seed, "attacks", |i| role(i) == Role::Spoiler),
        }
    }
}
