//! Generated workflows of any size, for benchmarks and tests: a long process across four
//! lanes where about four steps in ten are decisions whose "no" either loops back a few
//! steps or jumps a few steps ahead (500 steps give about 700 flows). Deterministic.
//!
//! Not part of the library: included with `#[path]` by benches/workflow.rs and by the tests
//! that need a large workflow.

use std::fmt::Write;

/// The YAML text of a generated workflow of `steps` steps (at least 3), from `seed`.
pub fn generate_yaml(steps: usize, seed: u64) -> String {
    generate(steps, seed, true)
}

/// The same workflow as [`generate_yaml`] without lanes (for comparisons with layout
/// engines that know no swimlanes).
pub fn generate_yaml_without_lanes(steps: usize, seed: u64) -> String {
    generate(steps, seed, false)
}

fn generate(steps: usize, seed: u64, with_lanes: bool) -> String {
    let n = steps.max(3);
    let mut rng = Lcg(seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407));
    let mut kinds = vec!["action"; n];
    kinds[0] = "start";
    kinds[n - 1] = "end";
    for k in kinds.iter_mut().take(n - 2).skip(1) {
        if rng.below(10) < 4 {
            *k = "decision";
        }
    }
    // A decision right before the end needs room for its two exits.
    if kinds[n - 2] == "decision" {
        kinds[n - 2] = "action";
    }
    let mut s = String::new();
    let _ = writeln!(s, "title: Processus généré de {n} étapes");
    s.push_str("lanes:\n");
    for (id, label) in [
        ("user", "Utilisateur"),
        ("n1", "Technicien N1"),
        ("n2", "Technicien N2"),
        ("glpi", "GLPI"),
    ] {
        let _ = writeln!(s, "  - {{ id: {id}, label: {label} }}");
    }
    s.push_str("steps:\n");
    let mut lane = 0;
    let lanes = ["user", "n1", "n2", "glpi"];
    for (i, kind) in kinds.iter().enumerate() {
        if i > 0 && rng.below(5) == 0 {
            lane = (lane + 1 + rng.below(3) as usize) % 4;
        }
        let _ = writeln!(s, "  - id: s{i}");
        let _ = writeln!(s, "    kind: {kind}");
        let label = match *kind {
            "decision" => format!("Contrôle {i} réussi ?"),
            "start" => "Début".to_string(),
            "end" => "Fin".to_string(),
            _ => format!("Traiter l'étape {i} du dossier"),
        };
        let _ = writeln!(s, "    label: {label}");
        if with_lanes {
            let _ = writeln!(s, "    lane: {}", lanes[lane]);
        }
        if *kind == "decision" {
            let no = if rng.below(2) == 0 && i > 2 {
                i - 1 - rng.below(i.min(6) as u64 - 1) as usize
            } else {
                (i + 2 + rng.below(6) as usize).min(n - 1)
            };
            let _ = writeln!(s, "    yes: s{}", i + 1);
            let _ = writeln!(s, "    no: s{no}");
        }
    }
    s
}

/// A small linear congruential generator: enough variety, no dependency, reproducible.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}
