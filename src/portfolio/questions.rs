//! The jury's questions at the E4 oral, from the assignment's list ("exemples de questions
//! possibles"), with the stable ids a page's `answers:` names them by.

use crate::language::Language;

/// One question the jury may ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// The id written in `answers:` (`sla`), also the anchor on the "Préparer l'oral" page.
    pub id: &'static str,
    /// The question in French, as the assignment asks it.
    pub fr: &'static str,
    /// The same question in English.
    pub en: &'static str,
}

impl Question {
    /// The question in `language`.
    pub fn text(&self, language: Language) -> &'static str {
        match language {
            Language::Fr => self.fr,
            Language::En => self.en,
        }
    }

    /// The question whose id is `id`.
    pub fn find(id: &str) -> Option<&'static Question> {
        QUESTIONS.iter().find(|q| q.id == id)
    }
}

/// The assignment's questions, in its order. French questions end with a narrow no-break
/// space before `?`, as French typography wants.
pub const QUESTIONS: &[Question] = &[
    Question {
        id: "pourquoi-outil",
        fr: "Pourquoi un outil dédié au support a-t-il été mis en place\u{202f}?",
        en: "Why was a dedicated support tool set up?",
    },
    Question {
        id: "creation-ticket",
        fr: "Comment le ticket est-il créé\u{202f}?",
        en: "How is a ticket created?",
    },
    Question {
        id: "validation-ticket",
        fr: "Le ticket est-il validé par l'équipe support\u{202f}?",
        en: "Is the ticket validated by the support team?",
    },
    Question {
        id: "ameliorer-cycle",
        fr: "Peut-on améliorer le cycle de vie du ticket\u{202f}?",
        en: "Can the ticket life cycle be improved?",
    },
    Question {
        id: "escalade",
        fr: "Une escalade est-elle mise en place\u{202f}? Si oui, comment fonctionne-t-elle\u{202f}?",
        en: "Is there an escalation? If so, how does it work?",
    },
    Question {
        id: "sla",
        fr: "Un SLA est-il instauré\u{202f}?",
        en: "Is there a service level agreement (SLA)?",
    },
    Question {
        id: "fermeture-ticket",
        fr: "Faut-il que le ticket soit fermé par l'utilisateur\u{202f}?",
        en: "Must the ticket be closed by the user?",
    },
    Question {
        id: "kpi",
        fr: "Quel est le KPI le plus efficace pour évaluer le niveau du service support\u{202f}?",
        en: "Which KPI best measures the level of the support service?",
    },
    Question {
        id: "communication",
        fr: "La communication entre l'équipe support et les utilisateurs est-elle de bonne qualité\u{202f}?",
        en: "Is the communication between the support team and the users good?",
    },
];

/// Every id, for the help of an error.
pub(crate) fn ids() -> String {
    QUESTIONS
        .iter()
        .map(|q| q.id)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_assignment_lists_nine_questions_with_unique_ids() {
        assert_eq!(QUESTIONS.len(), 9);
        let mut ids: Vec<&str> = QUESTIONS.iter().map(|q| q.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 9);
        assert_eq!(
            Question::find("sla").unwrap().en,
            "Is there a service level agreement (SLA)?"
        );
        assert!(
            QUESTIONS
                .iter()
                .all(|q| q.fr.ends_with("\u{202f}?") && q.en.ends_with('?'))
        );
    }
}
