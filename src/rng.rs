//! Seeds become named random streams here, and nowhere else.
//!
//! Every purpose (a parameter draw, an actor's votes, a spoiler's attacks, …) gets its own stream, derived from the
//! run's seed and a text key through a fixed hash: FNV-1a (64 bit) of the key's UTF-8 bytes, mixed with the seed by
//! SplitMix64. `std`'s `DefaultHasher` is never used: its output may change between Rust releases.
//! Keyed streams are what make variants comparable: adding an actor, a field or an event never moves any other draw,
//! so two scenario variants run with one seed see the same luck (common random numbers).

use std::convert::Infallible;

use rand::SeedableRng;
use rand::TryRng;
use rand_chacha::ChaCha8Rng;

/// FNV-1a, 64 bit, over the bytes of `key`.
pub fn fnv1a(key: &str) -> u64 {
    fnv1a_extend(0xcbf2_9ce4_8422_2325, key)
}

/// FNV-1a continued over more bytes: `fnv1a_extend(fnv1a(a), b) == fnv1a(a + b)`, so keys hash without building
/// strings.
pub fn fnv1a_extend(mut hash: u64, more: &str) -> u64 {
    for byte in more.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// One step of SplitMix64 (Steele, Lea & Flood 2014): advances `state` and returns the mixed output.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The starting state of the stream for `key_hash` (an [`fnv1a`] of the key) under `seed`.
pub fn stream_state(seed: u64, key_hash: u64) -> u64 {
    let mut s = seed;
    splitmix64(&mut s) ^ key_hash
}

/// A small keyed stream for one-off draws (one parameter, one event magnitude): SplitMix64 from
/// [`stream_state`]. Cheap to create, which matters because a run creates one per drawn value.
#[derive(Clone, Debug)]
pub struct KeyedStream {
    state: u64,
}

impl KeyedStream {
    pub fn new(seed: u64, key_hash: u64) -> Self {
        Self {
            state: stream_state(seed, key_hash),
        }
    }
}

impl TryRng for KeyedStream {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((splitmix64(&mut self.state) >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(splitmix64(&mut self.state))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = splitmix64(&mut self.state).to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

/// A long stream (votes, violations, attacks, events, recognition): ChaCha8 whose 32-byte key is four SplitMix64
/// outputs from [`stream_state`].
pub fn chacha(seed: u64, key_hash: u64) -> ChaCha8Rng {
    let mut state = stream_state(seed, key_hash);
    let mut key = [0u8; 32];
    for chunk in key.chunks_mut(8) {
        chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
    }
    ChaCha8Rng::from_seed(key)
}

/// A uniform in [0, 1) with 53 random bits, the same on every platform.
pub fn uniform<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // From the FNV reference page (Fowler, Noll, Vo): "" and "a".
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // Reference outputs of splitmix64.c seeded with 1234567.
        let mut s = 1_234_567u64;
        assert_eq!(splitmix64(&mut s), 6_457_827_717_110_365_317);
        assert_eq!(splitmix64(&mut s), 3_203_168_211_198_807_973);
    }

    #[test]
    fn streams_differ_by_key_and_by_seed() {
        let a = uniform(&mut KeyedStream::new(1, fnv1a("x")));
        let b = uniform(&mut KeyedStream::new(1, fnv1a("y")));
        let c = uniform(&mut KeyedStream::new(2, fnv1a("x")));
        assert_ne!(a, b);
        assert_ne!(a, c);
        let mut r1 = chacha(7, fnv1a("votes/RUS"));
        let mut r2 = chacha(7, fnv1a("votes/RUS"));
        for _ in 0..100 {
            let u = uniform(&mut r1);
            assert_eq!(u, uniform(&mut r2));
            assert!((0.0..1.0).contains(&u));
        }
    }
}
