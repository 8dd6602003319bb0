#![allow(clippy::unwrap_used)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).cloned().unwrap_or("astana-2017".into());
    let sets: Vec<String> = args[2.min(args.len())..].to_vec();
    let sc = ceasefire::scenario::load_path(&name, &sets).unwrap();
    let n = 1000;
    let mut rounds = vec![];
    let mut collapsed = 0;
    let mut conf = 0;
    let mut inforce = 0;
    let t0 = std::time::Instant::now();
    for s in 0..n {
        let tr = ceasefire::sim::run(&sc, s);
        if let Some(r) = tr.first_signed(sc.ceasefire_module) {
            rounds.push(r);
            if tr.collapses() > 0 {
                collapsed += 1;
            }
        }
        if tr.first_signed(1).is_some() {
            conf += 1;
        }
        if *tr.in_force.last().unwrap() {
            inforce += 1;
        }
    }
    let el = t0.elapsed();
    rounds.sort();
    let q = |p: f64| {
        rounds
            .get(((rounds.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0)
    };
    println!(
        "reached {}/{} median {} IQR {}-{} collapsed {} conf {} inforce {} time/run {:?}",
        rounds.len(),
        n,
        q(0.5),
        q(0.25),
        q(0.75),
        collapsed,
        conf,
        inforce,
        el / n as u32
    );
}
