//! Any bytes given to the loader give a scenario or an error, never a panic; a scenario that loads also runs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(sc) = ceasefire::scenario::load_source("fuzz.toml", &text, &[]) {
        if sc.simulation.rounds <= 200 && sc.actors.len() <= 50 {
            let _ = ceasefire::engine::run(&sc, 1);
        }
    }
});
