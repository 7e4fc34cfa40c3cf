//! The language of a site or a page: it picks the words guichet writes itself (UI strings,
//! diagram labels, KPI cards, ticket facts) and the `lang` attributes.

use serde::{Deserialize, Serialize};

/// French or English, written `fr` or `en` in guichet.yaml and in front matter.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// French, the default.
    #[default]
    Fr,
    /// English.
    En,
}

impl Language {
    /// Every language guichet knows, in the order of their codes' first use.
    pub const ALL: [Language; 2] = [Language::Fr, Language::En];

    /// The ISO 639-1 code used in `<html lang>` and in file names.
    pub fn code(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }

    /// Picks the French or the English text.
    pub(crate) fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Language::Fr => fr,
            Language::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn written_as_its_code() {
        for language in [Language::Fr, Language::En] {
            let yaml = serde_yaml::to_string(&language).unwrap();
            assert_eq!(yaml.trim(), language.code());
            assert_eq!(serde_yaml::from_str::<Language>(&yaml).unwrap(), language);
        }
        assert_eq!(Language::default(), Language::Fr);
        assert_eq!(Language::En.pick("Oui", "Yes"), "Yes");
    }
}
