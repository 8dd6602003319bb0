//! Global sensitivity analysis (`ceasefire::gsa`): the Sobol' sequence against SciPy's Joe & Kuo points, the
//! Saltelli/Sobol' estimators and the Morris method against analytic values and against SALib 1.6 itself.
//!
//! Reference numbers were produced once with SciPy 1.17.1, SALib 1.6.0 and NumPy 2.4.6 in a Python venv (the exact
//! calls are quoted next to each number and in the fixture headers); these tests need no Python.
#![allow(clippy::unwrap_used)]

use std::f64::consts::PI;

use ceasefire::gsa::{
    GsaError, MAX_DIMS, SobolSequence, morris_delta, morris_indices, morris_sample,
    saltelli_sample, sobol_indices,
};
use proptest::prelude::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gsa/");

fn fixture(name: &str) -> Vec<Vec<u64>> {
    std::fs::read_to_string(format!("{FIXTURES}{name}"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_whitespace().map(|w| w.parse().unwrap()).collect())
        .collect()
}

fn u32_of(x: f64) -> u64 {
    let u = x * 4_294_967_296.0;
    assert_eq!(u, u.trunc(), "{x} is not a multiple of 2^-32");
    u as u64
}

fn fnv(values: impl Iterator<Item = u64>) -> u64 {
    values.fold(0xcbf2_9ce4_8422_2325, |h, u| {
        (h ^ u).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

// ---------------------------------------------------------------- the sequence

#[test]
fn unscrambled_first_32_points_equal_scipy_in_20_dimensions() {
    // scipy.stats.qmc.Sobol(d=20, scramble=False, bits=32).random(32) * 32 (exact: all multiples of 1/32).
    let expected = fixture("sobol_first32_d20.txt");
    let points = SobolSequence::new(20).unwrap().points(32).unwrap();
    assert_eq!(points.len(), 32);
    assert!(points[0].iter().all(|&x| x == 0.0), "point 0 is the origin");
    for (i, (p, e)) in points.iter().zip(&expected).enumerate() {
        let got: Vec<u64> = p.iter().map(|&x| (x * 32.0) as u64).collect();
        assert!(
            p.iter().zip(&got).all(|(&x, &g)| x == g as f64 / 32.0),
            "point {i} not a multiple of 1/32"
        );
        assert_eq!(&got, e, "point {i}");
    }
}

#[test]
fn unscrambled_sequence_equals_scipy_in_all_1024_dimensions() {
    // Per dimension, FNV-1a-64 of the 32-bit coordinates of points 0..=8192 (every m_k of Joe & Kuo's degree ≤ 13
    // polynomials and the recurrence up to bit 14) and of points 2^k − 1, 2^k for k = 14..=20 (SciPy's fast_forward).
    let expected = fixture("sobol_checksums_d1024.txt");
    assert_eq!(expected.len(), MAX_DIMS);
    let seq = SobolSequence::new(MAX_DIMS).unwrap();
    let first = seq.points(8193).unwrap();
    let far: Vec<Vec<f64>> = (14..=20)
        .flat_map(|k| [(1u64 << k) - 1, 1 << k])
        .map(|i| seq.point(i).unwrap())
        .collect();
    for (j, e) in expected.iter().enumerate() {
        assert_eq!(e[0], j as u64 + 1);
        assert_eq!(
            fnv(first.iter().map(|p| u32_of(p[j]))),
            e[1],
            "points 0..=8192, dimension {}",
            j + 1
        );
        assert_eq!(
            fnv(far.iter().map(|p| u32_of(p[j]))),
            e[2],
            "points 2^k - 1, 2^k, dimension {}",
            j + 1
        );
    }
}

#[test]
fn unscrambled_high_bits_equal_scipy_in_8_dimensions() {
    // Points 2^k − 1 and 2^k for k = 21..=31 of scipy.stats.qmc.Sobol(d=8, scramble=False, bits=32).
    let seq = SobolSequence::new(8).unwrap();
    for row in fixture("sobol_high_d8.txt") {
        let k = row[0];
        let got: Vec<u64> = [(1u64 << k) - 1, 1 << k]
            .into_iter()
            .flat_map(|i| seq.point(i).unwrap().into_iter().map(u32_of))
            .collect();
        assert_eq!(got, row[1..], "k = {k}");
    }
}

/// Every dimension of `points` (2^m of them) has exactly one point in each `[k/2^m, (k+1)/2^m)`.
fn assert_stratified(points: &[Vec<f64>]) {
    let n = points.len();
    for j in 0..points[0].len() {
        let mut seen = vec![false; n];
        for p in points {
            assert!((0.0..1.0).contains(&p[j]));
            let cell = (p[j] * n as f64).floor() as usize;
            assert!(
                !seen[cell],
                "dimension {j}: two points in cell {cell} of {n}"
            );
            seen[cell] = true;
        }
    }
}

#[test]
fn unscrambled_first_power_of_two_points_are_stratified() {
    assert_stratified(&SobolSequence::new(64).unwrap().points(1 << 10).unwrap());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn scrambled_first_power_of_two_points_are_stratified(seed in any::<u64>(), dims in 1usize..=80, m in 0u32..=9) {
        assert_stratified(&SobolSequence::scrambled(dims, seed).unwrap().points(1 << m).unwrap());
    }

    #[test]
    fn scrambled_high_dimensions_are_stratified(seed in any::<u64>(), m in 0u32..=7) {
        let pts = SobolSequence::scrambled(MAX_DIMS, seed).unwrap().points(1 << m).unwrap();
        assert_stratified(&pts);
    }
}

#[test]
fn scrambled_same_seed_same_bits_other_seed_differs() {
    let a = SobolSequence::scrambled(10, 42)
        .unwrap()
        .points(256)
        .unwrap();
    let b = SobolSequence::scrambled(10, 42)
        .unwrap()
        .points(256)
        .unwrap();
    let c = SobolSequence::scrambled(10, 43)
        .unwrap()
        .points(256)
        .unwrap();
    let bits = |p: &Vec<Vec<f64>>| p.iter().flatten().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&b));
    assert_ne!(a, c);
    assert!(
        a[0].iter().any(|&x| x != 0.0),
        "a scrambled point 0 is shifted away from the origin"
    );
    assert_ne!(a, SobolSequence::new(10).unwrap().points(256).unwrap());
}

// ---------------------------------------------------------------- Saltelli design

#[test]
fn saltelli_rows_are_a_ab_b_in_salib_order() {
    let (n, d, seed) = (16, 3, 5);
    let x = saltelli_sample(n, d, seed).unwrap();
    let base = SobolSequence::scrambled(2 * d, seed)
        .unwrap()
        .points(n)
        .unwrap();
    assert_eq!(x.len(), n * (d + 2));
    for (i, p) in base.iter().enumerate() {
        let rows = &x[i * (d + 2)..(i + 1) * (d + 2)];
        assert_eq!(rows[0], p[..d]);
        assert_eq!(rows[d + 1], p[d..]);
        for j in 0..d {
            for c in 0..d {
                assert_eq!(
                    rows[j + 1][c],
                    if c == j { p[d + c] } else { p[c] },
                    "row {i}, AB^{j}, column {c}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------- Sobol' indices

fn ishigami(x: &[f64]) -> f64 {
    let (a, b) = (7.0, 0.1);
    let x: Vec<f64> = x.iter().map(|u| -PI + 2.0 * PI * u).collect();
    x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
}

/// Analytic (S1, ST) of Ishigami with a = 7, b = 0.1 (Homma & Saltelli 1996): about 0.314, 0.442, 0 and
/// 0.558, 0.442, 0.244.
fn ishigami_analytic() -> [(f64, f64); 3] {
    let (a, b) = (7.0f64, 0.1f64);
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    [(v1 / v, (v1 + v13) / v), (v2 / v, v2 / v), (0.0, v13 / v)]
}

fn evaluate(x: &[Vec<f64>], f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
    x.iter().map(|r| f(r)).collect()
}

#[test]
fn ishigami_indices_match_the_analytic_values() {
    let analytic = ishigami_analytic();
    assert!((analytic[0].0 - 0.3139).abs() < 1e-4 && (analytic[2].1 - 0.2437).abs() < 1e-4);
    let y = evaluate(&saltelli_sample(1 << 13, 3, 11).unwrap(), ishigami);
    let s = sobol_indices(&y, 3, 200, 1).unwrap();
    for (j, (si, (s1, st))) in s.iter().zip(analytic).enumerate() {
        assert!((si.s1 - s1).abs() < 0.02, "S1_{j} = {} vs {s1}", si.s1);
        assert!((si.st - st).abs() < 0.02, "ST_{j} = {} vs {st}", si.st);
    }
}

/// The SALib 1.6 formulas written out plainly: standardise, then S1 = mean(B (AB − A)) / var([A; B]) and
/// ST = ½ mean((A − AB)²) / var([A; B]), population variances.
fn plain_salib(y: &[f64], d: usize) -> Vec<(f64, f64)> {
    let n = y.len() / (d + 2);
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let sd = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / y.len() as f64).sqrt();
    let z: Vec<f64> = y.iter().map(|v| (v - mean) / sd).collect();
    let a: Vec<f64> = (0..n).map(|i| z[i * (d + 2)]).collect();
    let b: Vec<f64> = (0..n).map(|i| z[i * (d + 2) + d + 1]).collect();
    let ab_all: Vec<f64> = a.iter().chain(&b).copied().collect();
    let m = ab_all.iter().sum::<f64>() / ab_all.len() as f64;
    let var = ab_all.iter().map(|v| (v - m).powi(2)).sum::<f64>() / ab_all.len() as f64;
    (0..d)
        .map(|j| {
            let ab: Vec<f64> = (0..n).map(|i| z[i * (d + 2) + j + 1]).collect();
            let s1 = (0..n).map(|i| b[i] * (ab[i] - a[i])).sum::<f64>() / n as f64 / var;
            let st = 0.5 * (0..n).map(|i| (a[i] - ab[i]).powi(2)).sum::<f64>() / n as f64 / var;
            (s1, st)
        })
        .collect()
}

/// A small, exactly reproducible output: y_k = ((37 k) mod 101) / 7 − (k mod 3).
fn arithmetic_y(len: usize) -> Vec<f64> {
    (0..len)
        .map(|k| ((k * 37) % 101) as f64 / 7.0 - (k % 3) as f64)
        .collect()
}

#[test]
fn sobol_point_estimates_equal_a_plain_rewrite_of_the_salib_formulas() {
    for (d, n) in [(3, 8), (2, 5), (5, 32)] {
        let y = arithmetic_y(n * (d + 2));
        let got = sobol_indices(&y, d, 10, 0).unwrap();
        for (j, (g, (s1, st))) in got.iter().zip(plain_salib(&y, d)).enumerate() {
            assert!((g.s1 - s1).abs() < 1e-13, "d {d}, S1_{j}: {} vs {s1}", g.s1);
            assert!((g.st - st).abs() < 1e-13, "d {d}, ST_{j}: {} vs {st}", g.st);
        }
    }
    // The same check on Ishigami outputs, where the Jansen and Homma–Saltelli total estimators differ clearly.
    let y = evaluate(&saltelli_sample(64, 3, 2).unwrap(), ishigami);
    for (g, (s1, st)) in sobol_indices(&y, 3, 10, 0)
        .unwrap()
        .iter()
        .zip(plain_salib(&y, 3))
    {
        assert!((g.s1 - s1).abs() < 1e-12 && (g.st - st).abs() < 1e-12);
    }
}

#[test]
fn sobol_point_estimates_equal_salib_itself() {
    // SALib 1.6.0: d, N = 3, 8; Y = np.array([((k * 37) % 101) / 7 - (k % 3) for k in range(N * (d + 2))]);
    // SALib.analyze.sobol.analyze({"num_vars": 3, "names": [...], "bounds": [[0, 1]] * 3}, Y,
    //                             calc_second_order=False, num_resamples=10, seed=1)
    let s1 = [1.1326674863043753, -0.10794541734185424, 0.0729193728468219];
    let st = [1.4168205297524148, 1.0511983943210406, 0.6242685167888159];
    let got = sobol_indices(&arithmetic_y(40), 3, 10, 0).unwrap();
    for j in 0..3 {
        assert!(
            (got[j].s1 - s1[j]).abs() < 1e-12,
            "S1_{j}: {} vs SALib {}",
            got[j].s1,
            s1[j]
        );
        assert!(
            (got[j].st - st[j]).abs() < 1e-12,
            "ST_{j}: {} vs SALib {}",
            got[j].st,
            st[j]
        );
    }
}

#[test]
fn sobol_g_function_matches_the_analytic_indices() {
    let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];
    let g = |x: &[f64]| {
        x.iter()
            .zip(&a)
            .map(|(xi, ai)| ((4.0 * xi - 2.0).abs() + ai) / (1.0 + ai))
            .product()
    };
    // V_i = 1 / (3 (1 + a_i)^2); V = Π(1 + V_i) − 1; S_i = V_i / V; ST_i = V_i Π_{j≠i}(1 + V_j) / V.
    let vi: Vec<f64> = a
        .iter()
        .map(|ai| 1.0 / (3.0 * (1.0f64 + ai).powi(2)))
        .collect();
    let prod: f64 = vi.iter().map(|v| 1.0 + v).product();
    let v = prod - 1.0;
    let y = evaluate(&saltelli_sample(1 << 13, 8, 3).unwrap(), g);
    let s = sobol_indices(&y, 8, 100, 4).unwrap();
    for (j, si) in s.iter().enumerate() {
        let (s1, st) = (vi[j] / v, vi[j] * prod / (1.0 + vi[j]) / v);
        assert!((si.s1 - s1).abs() < 0.02, "S1_{j} = {} vs {s1}", si.s1);
        assert!((si.st - st).abs() < 0.02, "ST_{j} = {} vs {st}", si.st);
    }
    assert!(s[0].s1 > s[1].s1 && s[1].s1 > s[2].s1 && s[2].s1 > s[3].s1);
}

#[test]
fn intervals_contain_the_estimates_and_shrink_as_n_grows() {
    let width = |n: usize| {
        let y = evaluate(&saltelli_sample(n, 3, 7).unwrap(), ishigami);
        let s = sobol_indices(&y, 3, 300, 9).unwrap();
        for si in &s {
            assert!(si.s1_lo <= si.s1 && si.s1 <= si.s1_hi, "{si:?}");
            assert!(si.st_lo <= si.st && si.st <= si.st_hi, "{si:?}");
        }
        s.iter()
            .map(|si| (si.s1_hi - si.s1_lo) + (si.st_hi - si.st_lo))
            .sum::<f64>()
    };
    let (small, large) = (width(1 << 8), width(1 << 12));
    assert!(
        large < 0.5 * small,
        "widths {small} (N = 256) and {large} (N = 4096)"
    );
}

#[test]
fn an_ignored_input_gets_exactly_zero() {
    // y ignores column 2: AB^2 = A in y, so S1 = ST = 0 exactly, intervals too.
    let y = evaluate(&saltelli_sample(256, 3, 1).unwrap(), |x| {
        ishigami(&[x[0], x[1], 0.5])
    });
    let s = sobol_indices(&y, 3, 100, 2).unwrap();
    let dummy = s[2];
    assert_eq!((dummy.s1, dummy.s1_lo, dummy.s1_hi), (0.0, 0.0, 0.0));
    assert_eq!((dummy.st, dummy.st_lo, dummy.st_hi), (0.0, 0.0, 0.0));
    assert!(s[1].st > 0.5);
}

#[test]
fn constant_output_gives_zero_indices_and_same_seed_same_bits() {
    let s = sobol_indices(&[3.5; 50], 3, 20, 0).unwrap();
    assert!(
        s.iter()
            .all(|si| si.s1 == 0.0 && si.st == 0.0 && si.s1_hi == 0.0 && si.st_lo == 0.0)
    );
    let y = evaluate(&saltelli_sample(128, 3, 1).unwrap(), ishigami);
    let bits = |v: Vec<ceasefire::gsa::SobolIndex>| {
        v.iter()
            .flat_map(|s| [s.s1, s.s1_lo, s.s1_hi, s.st, s.st_lo, s.st_hi].map(f64::to_bits))
            .collect::<Vec<_>>()
    };
    let first = bits(sobol_indices(&y, 3, 50, 8).unwrap());
    assert_eq!(first, bits(sobol_indices(&y, 3, 50, 8).unwrap()));
    assert_ne!(first, bits(sobol_indices(&y, 3, 50, 9).unwrap()));
}

// ---------------------------------------------------------------- Morris

#[test]
fn morris_trajectories_lie_on_the_grid_and_move_each_factor_once_by_delta() {
    for (r, d, p) in [(10, 5, 4), (7, 3, 6), (5, 4, 2), (4, 1, 4)] {
        let x = morris_sample(r, d, p, 3).unwrap();
        let delta = morris_delta(p);
        assert_eq!(x.len(), r * (d + 1));
        for (t, traj) in x.chunks(d + 1).enumerate() {
            for row in traj {
                for &v in row {
                    let level = v * (p - 1) as f64;
                    assert!(
                        (level - level.round()).abs() < 1e-12 && (0.0..=1.0).contains(&v),
                        "off grid: {v}"
                    );
                    assert_eq!(
                        v,
                        level.round() / (p - 1) as f64,
                        "not exactly level / (p - 1)"
                    );
                }
            }
            let mut moved = vec![0; d];
            for k in 0..d {
                let changed: Vec<usize> =
                    (0..d).filter(|&j| traj[k][j] != traj[k + 1][j]).collect();
                assert_eq!(changed.len(), 1, "trajectory {t}, step {k}");
                let j = changed[0];
                assert!(((traj[k + 1][j] - traj[k][j]).abs() - delta).abs() < 1e-12);
                moved[j] += 1;
            }
            assert!(moved.iter().all(|&m| m == 1), "trajectory {t}: {moved:?}");
        }
    }
    assert_eq!(morris_delta(4), 2.0 / 3.0);
}

#[test]
fn morris_linear_function_gives_its_coefficients_and_zero_sigma() {
    let c = [2.0, -3.0, 0.5, 0.0, 10.0];
    let x = morris_sample(20, 5, 4, 8).unwrap();
    let y: Vec<f64> = x
        .iter()
        .map(|r| r.iter().zip(&c).map(|(xi, ci)| xi * ci).sum())
        .collect();
    let m = morris_indices(&x, &y, 5, 4, 100, 1).unwrap();
    for (j, mi) in m.iter().enumerate() {
        assert!((mi.mu - c[j]).abs() < 1e-9, "mu_{j} = {}", mi.mu);
        assert!(
            (mi.mu_star - c[j].abs()).abs() < 1e-9,
            "mu*_{j} = {}",
            mi.mu_star
        );
        assert!(mi.sigma.abs() < 1e-9, "sigma_{j} = {}", mi.sigma);
        assert!(
            (mi.mu_star_lo - mi.mu_star).abs() < 1e-9 && (mi.mu_star_hi - mi.mu_star).abs() < 1e-9
        );
    }
}

#[test]
fn morris_statistics_equal_salib_itself() {
    // Four hand-made trajectories (levels / 3, p = 4, delta = 2/3), some steps up and some down;
    // y = x0^2 + 2 x1 x2 - 3 x2. SALib 1.6.0: SALib.analyze.morris.analyze(problem, X, Y, num_levels=4,
    // num_resamples=10, seed=1) gave the numbers below.
    let levels = [
        [0, 1, 2],
        [2, 1, 2],
        [2, 1, 0],
        [2, 3, 0],
        [3, 2, 0],
        [3, 0, 0],
        [1, 0, 0],
        [1, 0, 2],
        [1, 3, 3],
        [1, 3, 1],
        [1, 1, 1],
        [3, 1, 1],
        [0, 0, 0],
        [2, 0, 0],
        [2, 2, 0],
        [2, 2, 2],
    ];
    let x: Vec<Vec<f64>> = levels
        .iter()
        .map(|r| r.iter().map(|&l| l as f64 / 3.0).collect())
        .collect();
    let y: Vec<f64> = x
        .iter()
        .map(|r| r[0] * r[0] + 2.0 * r[1] * r[2] - 3.0 * r[2])
        .collect();
    let mu = [1.0000000000000002, 0.16666666666666666, -2.0];
    let mu_star = [1.0000000000000002, 0.16666666666666666, 2.0];
    let sigma = [0.3849001794597506, 0.33333333333333337, 0.8606629658238705];
    let m = morris_indices(&x, &y, 3, 4, 50, 0).unwrap();
    for j in 0..3 {
        assert!(
            (m[j].mu - mu[j]).abs() < 1e-12,
            "mu_{j}: {} vs SALib {}",
            m[j].mu,
            mu[j]
        );
        assert!(
            (m[j].mu_star - mu_star[j]).abs() < 1e-12,
            "mu*_{j}: {} vs SALib {}",
            m[j].mu_star,
            mu_star[j]
        );
        assert!(
            (m[j].sigma - sigma[j]).abs() < 1e-12,
            "sigma_{j}: {} vs SALib {}",
            m[j].sigma,
            sigma[j]
        );
        assert!(m[j].mu_star_lo <= m[j].mu_star_hi);
    }
}

#[test]
fn morris_same_seed_same_bits() {
    assert_eq!(
        morris_sample(6, 4, 4, 1).unwrap(),
        morris_sample(6, 4, 4, 1).unwrap()
    );
    assert_ne!(
        morris_sample(6, 4, 4, 1).unwrap(),
        morris_sample(6, 4, 4, 2).unwrap()
    );
}

// ---------------------------------------------------------------- errors

#[test]
fn bad_sizes_and_values_are_errors_with_precise_messages() {
    assert_eq!(SobolSequence::new(0), Err(GsaError::ZeroDimensions));
    assert!(matches!(
        SobolSequence::new(MAX_DIMS + 1),
        Err(GsaError::TooManyDimensions { .. })
    ));
    assert!(matches!(
        SobolSequence::new(2).unwrap().point(1 << 32),
        Err(GsaError::TooManyPoints { .. })
    ));
    assert!(matches!(
        SobolSequence::new(64).unwrap().points(usize::MAX),
        Err(GsaError::TooManyPoints { .. })
    ));
    assert!(matches!(
        SobolSequence::new(1024).unwrap().points(1 << 20),
        Err(GsaError::TooLarge { .. })
    ));
    assert_eq!(
        saltelli_sample(12, 3, 0),
        Err(GsaError::NotPowerOfTwo { n: 12 })
    );
    assert_eq!(
        saltelli_sample(0, 3, 0),
        Err(GsaError::NotPowerOfTwo { n: 0 })
    );
    assert!(matches!(
        saltelli_sample(4, MAX_DIMS, 0),
        Err(GsaError::TooManyDimensions { .. })
    ));
    let e = sobol_indices(&[1.0; 11], 3, 10, 0).unwrap_err();
    assert!(
        e.to_string().contains("multiple of d + 2 = 5") && e.to_string().contains("got 11"),
        "{e}"
    );
    let mut y = arithmetic_y(10);
    y[4] = f64::NAN;
    assert_eq!(
        sobol_indices(&y, 3, 10, 0).unwrap_err().to_string(),
        "y[4] is NaN; every value must be finite (no NaN or infinity)"
    );
    assert!(matches!(
        sobol_indices(&arithmetic_y(10), 3, 0, 0),
        Err(GsaError::Resamples { .. })
    ));
    assert_eq!(
        sobol_indices(&[1e308, -1e308, 1e308, -1e308, 1.0], 3, 5, 0),
        Err(GsaError::Overflow)
    );
    assert_eq!(
        morris_sample(3, 2, 5, 0),
        Err(GsaError::Levels { levels: 5 })
    );
    assert_eq!(
        morris_sample(0, 2, 4, 0),
        Err(GsaError::Zero {
            what: "the number of trajectories r"
        })
    );
    let x = morris_sample(1, 2, 4, 0).unwrap();
    assert_eq!(
        morris_indices(&x, &[0.0; 3], 2, 4, 10, 0),
        Err(GsaError::TooFewTrajectories { r: 1 })
    );
    let x = morris_sample(2, 2, 4, 0).unwrap();
    assert!(matches!(
        morris_indices(&x, &[0.0; 5], 2, 4, 10, 0),
        Err(GsaError::LengthMismatch { .. })
    ));
    let mut bent = x.clone();
    bent[1] = bent[0].clone();
    let e = morris_indices(&bent, &[0.0; 6], 2, 4, 10, 0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "trajectory 0, step 1: 0 factors change; each step must change exactly one"
    );
    let mut outside = x;
    outside[3][1] = 1.5;
    assert!(matches!(
        morris_indices(&outside, &[0.0; 6], 2, 4, 10, 0),
        Err(GsaError::OutsideUnitCube { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_sizes_never_panic(
        dims in 0usize..1100,
        n in 0usize..70,
        d in 0usize..6,
        levels in 0usize..9,
        resamples in 0usize..4,
        seed in any::<u64>(),
        y in proptest::collection::vec(prop_oneof![any::<f64>(), -10.0..10.0f64], 0..60),
        rows in proptest::collection::vec(proptest::collection::vec(prop_oneof![any::<f64>(), 0.0..=1.0f64], 0..5), 0..30),
    ) {
        if dims <= 128 {
            let _ = SobolSequence::new(dims).and_then(|s| s.points(n));
            let _ = SobolSequence::scrambled(dims, seed).and_then(|s| s.point(seed));
        }
        let _ = saltelli_sample(n, d, seed);
        let _ = sobol_indices(&y, d, resamples, seed);
        let _ = morris_sample(n, d, levels, seed);
        let _ = morris_indices(&rows, &y, d, levels, resamples, seed);
        if let Ok(x) = morris_sample(n.min(8), d, levels, seed) {
            let yy: Vec<f64> = y.iter().cycle().take(x.len()).copied().collect();
            let _ = morris_indices(&x, &yy, d, levels, resamples, seed);
        }
    }
}
