//! GLPI's ticket statuses (GLPI 11, `src/CommonITILObject.php`): one definition for the
//! workflows that reach them and the tickets that are in them.

use serde::{Deserialize, Serialize};

use crate::language::Language;

/// A GLPI ticket status, written by its key in YAML (`new`, `approval`, …).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// 1, Nouveau.
    #[default]
    New,
    /// 10, Approbation (GLPI 11).
    Approval,
    /// 2, En cours (attribué).
    Assigned,
    /// 3, En cours (planifié).
    Planned,
    /// 4, En attente: the SLA clock is paused.
    Waiting,
    /// 5, Résolu: a solution was given, the requester may still refuse it.
    Solved,
    /// 6, Clos.
    Closed,
}

impl Status {
    /// Every status in GLPI 11's display order (1, 10, 2, 3, 4, 5, 6).
    pub const ALL: [Status; 7] = [
        Status::New,
        Status::Approval,
        Status::Assigned,
        Status::Planned,
        Status::Waiting,
        Status::Solved,
        Status::Closed,
    ];

    /// The key written in YAML.
    pub fn key(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Approval => "approval",
            Status::Assigned => "assigned",
            Status::Planned => "planned",
            Status::Waiting => "waiting",
            Status::Solved => "solved",
            Status::Closed => "closed",
        }
    }

    /// The status written `key` in YAML.
    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.key() == key)
    }

    /// GLPI's numeric code.
    pub fn code(self) -> u8 {
        match self {
            Status::New => 1,
            Status::Approval => 10,
            Status::Assigned => 2,
            Status::Planned => 3,
            Status::Waiting => 4,
            Status::Solved => 5,
            Status::Closed => 6,
        }
    }

    /// True for the statuses that count in the backlog (1, 10, 2, 3, 4).
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Solved | Status::Closed)
    }

    /// GLPI's label in `lang`.
    pub fn label(self, lang: Language) -> &'static str {
        let (fr, english) = match self {
            Status::New => ("Nouveau", "New"),
            Status::Approval => ("Approbation", "Approval"),
            Status::Assigned => ("En cours (attribué)", "Processing (assigned)"),
            Status::Planned => ("En cours (planifié)", "Processing (planned)"),
            Status::Waiting => ("En attente", "Pending"),
            Status::Solved => ("Résolu", "Solved"),
            Status::Closed => ("Clos", "Closed"),
        };
        lang.pick(fr, english)
    }

    /// The fill and ink colours of the status badge drawn in diagrams.
    pub fn colours(self) -> (&'static str, &'static str) {
        match self {
            Status::New => ("#dbeafe", "#1e3a8a"),
            Status::Approval => ("#ede9fe", "#4c1d95"),
            Status::Assigned => ("#dcfce7", "#14532d"),
            Status::Planned => ("#d1fae5", "#064e3b"),
            Status::Waiting => ("#ffedd5", "#7c2d12"),
            Status::Solved => ("#cffafe", "#134e4a"),
            Status::Closed => ("#e5e7eb", "#111827"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Language, Status};

    #[test]
    fn codes_keys_and_labels_follow_glpi() {
        let codes: Vec<u8> = Status::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, [1, 10, 2, 3, 4, 5, 6]);
        assert_eq!(Status::from_key("waiting"), Some(Status::Waiting));
        assert_eq!(Status::Solved.label(Language::Fr), "Résolu");
        assert_eq!(Status::Closed.label(Language::Fr), "Clos");
        assert_eq!(Status::Waiting.label(Language::En), "Pending");
        assert!(Status::Waiting.is_open() && !Status::Solved.is_open());
    }
}
