//! Fuzzes `verify BUNDLE`: a real signed bundle is made once per process; each input replaces
//! one of its files (the first byte picks which, the rest is the new content) and the verifier
//! must report failed checks, never panic. With `SESSIONPROOF_FUZZ_SEEDS=DIR` the bundle's own
//! files are first written to DIR as seeds (`scripts/fuzz.sh` does this for the corpus).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sessionproof_fuzz::bundle::Bundle;
use std::sync::OnceLock;

static BUNDLE: OnceLock<Bundle> = OnceLock::new();

fuzz_target!(
    init: {
        let bundle = Bundle::create();
        if let Some(dir) = std::env::var_os("SESSIONPROOF_FUZZ_SEEDS") {
            let dir = std::path::PathBuf::from(dir);
            std::fs::create_dir_all(&dir).expect("create the seed folder");
            for (name, seed) in bundle.seeds() {
                let file = match name.strip_prefix("../../") {
                    Some(in_case) => format!("case-{in_case}"),
                    None => format!("bundle-{name}"),
                };
                std::fs::write(dir.join(file), seed).expect("write a seed");
            }
        }
        let _ = BUNDLE.set(bundle);
    },
    |data: &[u8]| BUNDLE.get().expect("made in init").check(data)
);
