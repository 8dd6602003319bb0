//! The Sobol' sequence (Sobol' 1967) in base 2 with 32-bit direction numbers from Joe & Kuo (2008), generated in
//! Gray-code order (Antonov & Saleev 1979), as SciPy's `scipy.stats.qmc.Sobol` generates it.
//!
//! Why not a crate: `sobol_burley` (Owen-scrambled only, `f32`, at most 2^16 points and 256 dimensions) does not give
//! the unscrambled Joe & Kuo points to check against, and the sequence itself is a few dozen lines once the
//! direction numbers are data ([`super::directions`]).

use rand::Rng;

use super::GsaError;
use super::directions::{JOE_KUO, JOE_KUO_LEN};

/// Bits per coordinate: points are multiples of 2^-32.
const BITS: usize = 32;

/// The most dimensions supported: the first 1024 of Joe & Kuo's `new-joe-kuo-6.21201`.
pub const MAX_DIMS: usize = JOE_KUO_LEN + 1;

/// The most points a 32-bit sequence has before it repeats: 2^32.
pub const MAX_POINTS: u64 = 1 << BITS;

/// ChaCha stream of the scramble.
const SCRAMBLE_STREAM: u64 = 0x736f_626f_6c5f_6c6d; // "sobol_lm"

/// A Sobol' sequence in `dims` dimensions, unscrambled or scrambled.
///
/// Point `i` is `x_i = g(i)_1 v_1 ⊕ g(i)_2 v_2 ⊕ …` per dimension, with `g(i) = i ⊕ ⌊i/2⌋` the Gray code of `i`,
/// `v_k = m_k / 2^k` the direction numbers and `⊕` the bitwise exclusive or of binary fractions; the direction
/// integers follow Bratley & Fox's recurrence `m_k = 2 a_1 m_{k−1} ⊕ 4 a_2 m_{k−2} ⊕ … ⊕ 2^{s−1} a_{s−1} m_{k−s+1}
/// ⊕ 2^s m_{k−s} ⊕ m_{k−s}` from Joe & Kuo's initial `m_1 … m_s`. So the first `2^m` points of each dimension fall
/// one in each interval `[k/2^m, (k+1)/2^m)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SobolSequence {
    /// `v[j][k]`: direction number `k + 1` of dimension `j`, as a 32-bit fraction (bit 31 is 1/2).
    v: Vec<[u32; BITS]>,
    /// The digital shift XORed into every point (zero when unscrambled).
    shift: Vec<u32>,
}

impl SobolSequence {
    /// The unscrambled sequence in `dims` dimensions (1 to [`MAX_DIMS`]); point 0 is all zeros.
    pub fn new(dims: usize) -> Result<Self, GsaError> {
        if dims == 0 {
            return Err(GsaError::ZeroDimensions);
        }
        if dims > MAX_DIMS {
            return Err(GsaError::TooManyDimensions {
                dims,
                max: MAX_DIMS,
            });
        }
        let v = (0..dims).map(direction_numbers).collect();
        Ok(Self {
            v,
            shift: vec![0; dims],
        })
    }

    /// The sequence scrambled by a random linear matrix scramble and a digital shift (LMS + shift; Matoušek 1998,
    /// the scheme of SciPy's `qmc.Sobol(scramble=True)`, though with a different random generator so not SciPy's
    /// numbers). Per dimension, a random 32 × 32 lower-triangular binary matrix `L` with a unit diagonal multiplies
    /// every direction number (`v ↦ L v` over GF(2), digit 1 = the 1/2 digit first) and a random 32-bit shift `e` is
    /// XORed into every point: `x ↦ L x ⊕ e`. Digit `k` of the result depends only on digits `1 … k` of `x`,
    /// invertibly, so the stratification of the unscrambled sequence is kept. Draws, from `ChaCha8Rng` seeded with
    /// `seed`: per dimension in order, the 32 rows of `L` (one `u32` each, bits above the diagonal discarded) then
    /// `e`.
    pub fn scrambled(dims: usize, seed: u64) -> Result<Self, GsaError> {
        let mut seq = Self::new(dims)?;
        let mut rng = super::rng(seed, SCRAMBLE_STREAM);
        for (v, shift) in seq.v.iter_mut().zip(seq.shift.iter_mut()) {
            // rows[i]: which input digits (bit 31 − j for digit j ≤ i) feed output digit i.
            let mut rows = [0u32; BITS];
            for (i, row) in rows.iter_mut().enumerate() {
                let diagonal = 1u32 << (BITS - 1 - i);
                let above = !(diagonal | (diagonal - 1)); // input digits before digit i
                *row = (rng.next_u32() & above) | diagonal;
            }
            *shift = rng.next_u32();
            for vk in v.iter_mut() {
                *vk = scramble_digits(&rows, *vk);
            }
        }
        Ok(seq)
    }

    /// The number of dimensions.
    pub fn dims(&self) -> usize {
        self.v.len()
    }

    /// The first `n` points (`0 ≤ n ≤` [`MAX_POINTS`], at most [`super::MAX_VALUES`] numbers), one `Vec` of
    /// [`Self::dims`] coordinates in `[0, 1)` per point.
    pub fn points(&self, n: usize) -> Result<Vec<Vec<f64>>, GsaError> {
        if n as u64 > MAX_POINTS {
            return Err(GsaError::TooManyPoints {
                n: n as u64,
                max: MAX_POINTS,
            });
        }
        super::check_size(n as u128, self.dims() as u128)?;
        let mut x = self.shift.clone();
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            if i > 0 {
                // Gray code: g(i) differs from g(i − 1) in the bit of the lowest set bit of i.
                let k = i.trailing_zeros() as usize;
                for (xj, vj) in x.iter_mut().zip(&self.v) {
                    *xj ^= vj[k];
                }
            }
            out.push(x.iter().map(|&u| to_unit(u)).collect());
        }
        Ok(out)
    }

    /// Point number `index` (`index <` [`MAX_POINTS`]) on its own, without generating the ones before it.
    pub fn point(&self, index: u64) -> Result<Vec<f64>, GsaError> {
        if index >= MAX_POINTS {
            return Err(GsaError::TooManyPoints {
                n: index.saturating_add(1),
                max: MAX_POINTS,
            });
        }
        let gray = index ^ (index >> 1);
        Ok(self
            .v
            .iter()
            .zip(&self.shift)
            .map(|(vj, &e)| {
                let u = (0..BITS)
                    .filter(|&k| gray >> k & 1 == 1)
                    .fold(e, |acc, k| acc ^ vj[k]);
                to_unit(u)
            })
            .collect())
    }
}

/// A 32-bit binary fraction as an `f64` (exact).
fn to_unit(u: u32) -> f64 {
    f64::from(u) * (1.0 / MAX_POINTS as f64)
}

/// `L x` over GF(2): output digit `i` is the parity of `x & rows[i]`.
fn scramble_digits(rows: &[u32; BITS], x: u32) -> u32 {
    rows.iter().enumerate().fold(0, |acc, (i, row)| {
        acc | (((x & row).count_ones() & 1) << (BITS - 1 - i))
    })
}

/// The 32 direction numbers of dimension `j` (0-based; 0 is van der Corput's `m_k = 1`), as 32-bit fractions.
fn direction_numbers(j: usize) -> [u32; BITS] {
    let mut m = [1u64; BITS];
    if let Some(&(s, a, init)) = j.checked_sub(1).and_then(|row| JOE_KUO.get(row)) {
        let s = s as usize;
        m[..s].copy_from_slice(&init.iter().map(|&mi| u64::from(mi)).collect::<Vec<_>>());
        for k in s..BITS {
            let mut mk = m[k - s] ^ (m[k - s] << s);
            for i in 1..s {
                if (a >> (s - 1 - i)) & 1 == 1 {
                    mk ^= m[k - i] << i;
                }
            }
            m[k] = mk;
        }
    }
    // v_k = m_k / 2^k with k = 1 … 32: m_k < 2^k, so m_k << (32 − k) fits in 32 bits.
    let mut v = [0u32; BITS];
    for (k, vk) in v.iter_mut().enumerate() {
        *vk = (m[k] << (BITS - 1 - k)) as u32;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_integers_are_odd_and_below_two_to_the_k() {
        for j in 0..MAX_DIMS {
            let v = direction_numbers(j);
            for (k, vk) in v.iter().enumerate() {
                // v_k has its lowest set bit exactly at 2^-(k+1): m_k odd.
                assert_eq!(
                    vk.trailing_zeros() as usize,
                    BITS - 1 - k,
                    "dimension {j}, k {k}"
                );
            }
        }
    }

    #[test]
    fn scramble_is_identity_for_identity_matrix() {
        let mut rows = [0u32; BITS];
        for (i, r) in rows.iter_mut().enumerate() {
            *r = 1 << (BITS - 1 - i);
        }
        assert_eq!(scramble_digits(&rows, 0xdead_beef), 0xdead_beef);
    }

    #[test]
    fn point_agrees_with_points() {
        let seq = SobolSequence::scrambled(7, 3).expect("valid");
        let pts = seq.points(100).expect("valid");
        for (i, p) in pts.iter().enumerate() {
            assert_eq!(&seq.point(i as u64).expect("valid"), p);
        }
    }
}
