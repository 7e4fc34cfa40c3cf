//! The GLPI ticket statuses (GLPI 11, `src/CommonITILObject.php`) and how they are drawn.

use crate::diagram::Lang;

/// A GLPI ticket status, by its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// 1, Nouveau.
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

    /// The label GLPI shows, in French or English.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::New => lang.pick("Nouveau", "New"),
            Status::Approval => lang.pick("Approbation", "Approval"),
            Status::Assigned => lang.pick("En cours (attribué)", "Processing (assigned)"),
            Status::Planned => lang.pick("En cours (planifié)", "Processing (planned)"),
            Status::Waiting => lang.pick("En attente", "Pending"),
            Status::Solved => lang.pick("Résolu", "Solved"),
            Status::Closed => lang.pick("Clos", "Closed"),
        }
    }

    /// The badge's fill and ink colours.
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
