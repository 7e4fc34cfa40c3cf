//! The GLPI ticket statuses a workflow step can reach: the shared definition in
//! [`crate::glpi`].

pub use crate::glpi::Status;
