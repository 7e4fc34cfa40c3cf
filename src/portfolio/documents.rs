//! The eight documents the E4 assignment asks a student to put in the portfolio, with the
//! names a page's `document:` key accepts and the names the site shows.

use crate::language::Language;

/// One of the eight individual documents of the assignment ("documents individuels associés
/// à intégrer à votre portefeuille de compétences"), in the assignment's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentKind {
    /// Planning et répartition du travail.
    Planning,
    /// Présentation de l'outil (version, fonctionnalités, licence).
    Presentation,
    /// Topologie, with its IP plan.
    Topologie,
    /// Procédure d'installation.
    Installation,
    /// Fichier de configuration.
    Configuration,
    /// Schéma du cycle de vie du ticket et explications.
    CycleDeVie,
    /// Tests et ticket test.
    Tests,
    /// Procédure utilisateur.
    ProcedureUtilisateur,
}

impl DocumentKind {
    /// Every kind, in the assignment's order.
    pub const ALL: [DocumentKind; 8] = [
        DocumentKind::Planning,
        DocumentKind::Presentation,
        DocumentKind::Topologie,
        DocumentKind::Installation,
        DocumentKind::Configuration,
        DocumentKind::CycleDeVie,
        DocumentKind::Tests,
        DocumentKind::ProcedureUtilisateur,
    ];

    /// The French value of `document:` (also the id used in CSS classes and messages).
    pub fn id(self) -> &'static str {
        match self {
            DocumentKind::Planning => "planning",
            DocumentKind::Presentation => "presentation-outil",
            DocumentKind::Topologie => "topologie",
            DocumentKind::Installation => "installation",
            DocumentKind::Configuration => "configuration",
            DocumentKind::CycleDeVie => "cycle-de-vie",
            DocumentKind::Tests => "tests",
            DocumentKind::ProcedureUtilisateur => "procedure-utilisateur",
        }
    }

    /// The English value `document:` accepts too.
    pub fn english_id(self) -> &'static str {
        match self {
            DocumentKind::Planning => "planning",
            DocumentKind::Presentation => "tool-presentation",
            DocumentKind::Topologie => "topology",
            DocumentKind::Installation => "installation",
            DocumentKind::Configuration => "configuration",
            DocumentKind::CycleDeVie => "lifecycle",
            DocumentKind::Tests => "tests",
            DocumentKind::ProcedureUtilisateur => "user-procedure",
        }
    }

    /// The kind a `document:` value names, French or English id.
    pub fn parse(value: &str) -> Option<DocumentKind> {
        DocumentKind::ALL
            .into_iter()
            .find(|k| k.id() == value || k.english_id() == value)
    }

    /// The document's name as the assignment gives it, in `language`.
    pub fn name(self, language: Language) -> &'static str {
        match (self, language) {
            (DocumentKind::Planning, Language::Fr) => "Planning et répartition du travail",
            (DocumentKind::Planning, Language::En) => "Planning and division of work",
            (DocumentKind::Presentation, Language::Fr) => "Présentation de l'outil",
            (DocumentKind::Presentation, Language::En) => "Presentation of the tool",
            (DocumentKind::Topologie, Language::Fr) => "Topologie",
            (DocumentKind::Topologie, Language::En) => "Topology",
            (DocumentKind::Installation, Language::Fr) => "Procédure d'installation",
            (DocumentKind::Installation, Language::En) => "Installation procedure",
            (DocumentKind::Configuration, Language::Fr) => "Fichier de configuration",
            (DocumentKind::Configuration, Language::En) => "Configuration file",
            (DocumentKind::CycleDeVie, Language::Fr) => {
                "Schéma du cycle de vie du ticket et explications"
            }
            (DocumentKind::CycleDeVie, Language::En) => "Ticket life-cycle diagram and explanation",
            (DocumentKind::Tests, Language::Fr) => "Tests et ticket de test",
            (DocumentKind::Tests, Language::En) => "Tests and test ticket",
            (DocumentKind::ProcedureUtilisateur, Language::Fr) => "Procédure utilisateur",
            (DocumentKind::ProcedureUtilisateur, Language::En) => "User procedure",
        }
    }

    /// Every accepted `document:` value, for the help of an error.
    pub(crate) fn accepted_values() -> String {
        let mut values: Vec<&str> = DocumentKind::ALL
            .iter()
            .flat_map(|k| [k.id(), k.english_id()])
            .collect();
        values.dedup();
        values.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english_ids_name_the_same_document() {
        assert_eq!(
            DocumentKind::parse("cycle-de-vie"),
            Some(DocumentKind::CycleDeVie)
        );
        assert_eq!(
            DocumentKind::parse("lifecycle"),
            Some(DocumentKind::CycleDeVie)
        );
        assert_eq!(
            DocumentKind::parse("user-procedure"),
            Some(DocumentKind::ProcedureUtilisateur)
        );
        assert_eq!(DocumentKind::parse("logigramme"), None);
        assert_eq!(
            DocumentKind::accepted_values(),
            "planning, presentation-outil, tool-presentation, topologie, topology, installation, \
             configuration, cycle-de-vie, lifecycle, tests, procedure-utilisateur, user-procedure"
        );
    }
}
