//! guichet.yaml's `lifecycle:` key: the thresholds above which a figure becomes a finding.

use serde::{Deserialize, Serialize};

/// The thresholds of the lifecycle findings. Every key is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LifecycleSettings {
    /// A loop taken by at least this share of the tickets (0..1) is a finding.
    pub loop_share: f64,
    /// A category whose tickets are escalated at least this often (0..1) is a finding.
    pub escalation_share: f64,
    /// Below this many tickets on a workflow, no finding is drawn (too few to say anything).
    pub min_tickets: usize,
}

impl Default for LifecycleSettings {
    /// A loop taken by 20 % of the tickets, a category escalated 30 % of the time, from 5
    /// tickets on.
    fn default() -> Self {
        LifecycleSettings {
            loop_share: 0.2,
            escalation_share: 0.3,
            min_tickets: 5,
        }
    }
}

impl LifecycleSettings {
    /// The first problem of the settings, in words, with the key at fault.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        for (key, v) in [
            ("loop_share", self.loop_share),
            ("escalation_share", self.escalation_share),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Some((
                    key,
                    format!("`{key}` is {v}: a share is written between 0 and 1 (0.2 for 20 %)"),
                ));
            }
        }
        None
    }
}
