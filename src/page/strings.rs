//! The theme's UI strings, typed: a template reads them as `t.<name>`, the build as fields,
//! so a string missing in one language is a compile error, not an empty label.

use serde::Serialize;

use crate::content::Audience;
use crate::language::Language;

/// Every word the theme and the generated pages write themselves, in one language.
#[derive(Debug, Serialize)]
pub struct UiStrings {
    /// The skip link's text.
    pub skip: &'static str,
    /// The home page's name in breadcrumbs and links.
    pub home: &'static str,
    /// The menu button on narrow screens.
    pub menu: &'static str,
    /// The label of the main navigation.
    pub navigation: &'static str,
    /// The label of the breadcrumbs.
    pub breadcrumb: &'static str,
    /// The title of a page's table of contents.
    pub toc: &'static str,
    /// The link to the previous page of a section.
    pub previous: &'static str,
    /// The link to the next page of a section.
    pub next: &'static str,
    /// The label of the previous/next links.
    pub pager: &'static str,
    /// Before a page's update date.
    pub updated: &'static str,
    /// Before a page's publication date.
    pub published: &'static str,
    /// The title of a section's list of pages.
    pub in_section: &'static str,
    /// The title of a section's list of subsections.
    pub subsections: &'static str,
    /// The search button and landmark.
    pub search: &'static str,
    /// The search box's placeholder.
    pub search_placeholder: &'static str,
    /// The 404 page's title.
    pub not_found_title: &'static str,
    /// The 404 page's text.
    pub not_found_text: &'static str,
    /// The 404 page's link home.
    pub back_home: &'static str,
    /// The label of a page's tags.
    pub tags: &'static str,
    /// The label of a page's category.
    pub category: &'static str,
    /// The label of a page's audience.
    pub audience: &'static str,
    /// The audience `utilisateurs`.
    pub audience_utilisateurs: &'static str,
    /// The audience `techniciens`.
    pub audience_techniciens: &'static str,
    /// The audience `portfolio`.
    pub audience_portfolio: &'static str,
    /// The link to the Atom feed.
    pub feed: &'static str,
    /// The footer's credit.
    pub generated_by: &'static str,
    /// The print button.
    pub print: &'static str,
    /// The home page's list of recent pages.
    pub recent: &'static str,
    /// The home page's doors.
    pub doors: &'static str,
    /// The logigrammes' section, in the navigation and on its pages.
    pub workflows: &'static str,
    /// The KPI dashboard's title.
    pub kpis: &'static str,
    /// The label of a translated site's language switch.
    pub language_switch: &'static str,
    /// On the switch, a language that shows this page untranslated.
    pub shown_untranslated: &'static str,
    /// On the switch, a language that does not have this page.
    pub translation_unavailable: &'static str,
    /// What only generated pages and embeds write (not given to templates).
    #[serde(skip)]
    pub generated: GeneratedStrings,
}

/// The words of pages and figures made from data rather than Markdown.
#[derive(Debug)]
pub struct GeneratedStrings {
    /// The logigrammes' index page: its description.
    pub workflows_description: &'static str,
    /// Before the SVG and PNG download links of a workflow page.
    pub download: &'static str,
    /// The heading of a workflow's text version.
    pub text_version: &'static str,
    /// Under an embedded logigramme, the link to its own page.
    pub workflow_page_link: &'static str,
    /// The title of a ticket page's lifecycle figure.
    pub lifecycle_followed: &'static str,
    /// The PNG download link under an embedded topology.
    pub topology_png: &'static str,
    /// The KPI dashboard's description.
    pub kpis_description: &'static str,
    /// Before the KPI dashboard's JSON and CSV links.
    pub kpis_data: &'static str,
    /// The search page's title.
    pub search_title: &'static str,
    /// The search page's text.
    pub search_text: &'static str,
    /// The search page's text without JavaScript.
    pub search_noscript: &'static str,
}

impl UiStrings {
    /// The strings of `language`, made once for the whole program.
    pub fn of(language: Language) -> &'static UiStrings {
        match language {
            Language::Fr => &FR,
            Language::En => &EN,
        }
    }

    /// The name of an audience, as shown on pages.
    pub fn audience_label(&self, audience: Audience) -> &'static str {
        match audience {
            Audience::Utilisateurs => self.audience_utilisateurs,
            Audience::Techniciens => self.audience_techniciens,
            Audience::Portfolio => self.audience_portfolio,
        }
    }
}

static FR: UiStrings = UiStrings {
    skip: "Aller au contenu",
    home: "Accueil",
    menu: "Menu",
    navigation: "Navigation principale",
    breadcrumb: "Fil d'Ariane",
    toc: "Sur cette page",
    previous: "Précédent",
    next: "Suivant",
    pager: "Pages de la section",
    updated: "Mis à jour le",
    published: "Publié le",
    in_section: "Dans cette section",
    subsections: "Sous-sections",
    search: "Rechercher",
    search_placeholder: "Rechercher… (/)",
    not_found_title: "Page introuvable",
    not_found_text: "Cette page n'existe pas ou a été déplacée.",
    back_home: "Retour à l'accueil",
    tags: "Mots-clés",
    category: "Catégorie",
    audience: "Public",
    audience_utilisateurs: "Utilisateurs",
    audience_techniciens: "Techniciens",
    audience_portfolio: "Portfolio E4",
    feed: "Flux Atom",
    generated_by: "Site généré par guichet",
    print: "Imprimer",
    recent: "Pages récentes",
    doors: "Par où commencer",
    workflows: "Logigrammes",
    kpis: "Indicateurs",
    language_switch: "Langue",
    shown_untranslated: "Cette page n'est pas traduite dans cette langue : elle y est affichée dans la langue d'origine",
    translation_unavailable: "Cette page n'existe pas dans cette langue",
    generated: GeneratedStrings {
        workflows_description: "Les cycles de vie des tickets, dessinés selon la norme ISO 5807.",
        download: "Télécharger :",
        text_version: "Version texte",
        workflow_page_link: "Page du logigramme, PNG et version texte",
        lifecycle_followed: "Cycle de vie suivi",
        topology_png: "Schéma en PNG",
        kpis_description: "Les indicateurs du centre de services, calculés à la construction du site à partir des fiches de tickets.",
        kpis_data: "Données :",
        search_title: "Recherche",
        search_text: "Tapez vos mots dans la zone de recherche en haut de la page : les résultats s'affichent ici pendant la frappe. Raccourci : la touche /.",
        search_noscript: "La recherche a besoin de JavaScript. Sans lui, parcourez les rubriques du menu.",
    },
};

static EN: UiStrings = UiStrings {
    skip: "Skip to content",
    home: "Home",
    menu: "Menu",
    navigation: "Main navigation",
    breadcrumb: "Breadcrumb",
    toc: "On this page",
    previous: "Previous",
    next: "Next",
    pager: "Pages of this section",
    updated: "Updated on",
    published: "Published on",
    in_section: "In this section",
    subsections: "Subsections",
    search: "Search",
    search_placeholder: "Search… (/)",
    not_found_title: "Page not found",
    not_found_text: "This page does not exist or has moved.",
    back_home: "Back to the home page",
    tags: "Tags",
    category: "Category",
    audience: "Audience",
    audience_utilisateurs: "Users",
    audience_techniciens: "Technicians",
    audience_portfolio: "E4 portfolio",
    feed: "Atom feed",
    generated_by: "Site generated by guichet",
    print: "Print",
    recent: "Recent pages",
    doors: "Where to start",
    workflows: "Flowcharts",
    kpis: "Indicators",
    language_switch: "Language",
    shown_untranslated: "This page is not translated into this language: it is shown there in its original language",
    translation_unavailable: "This page does not exist in this language",
    generated: GeneratedStrings {
        workflows_description: "Ticket lifecycles, drawn to the ISO 5807 standard.",
        download: "Download:",
        text_version: "Text version",
        workflow_page_link: "Full page, PNG and text version",
        lifecycle_followed: "Lifecycle followed",
        topology_png: "Diagram as PNG",
        kpis_description: "The service desk's KPIs, computed at build time from the ticket write-ups.",
        kpis_data: "Data:",
        search_title: "Search",
        search_text: "Type your words in the search box at the top of the page: results show here as you type. Shortcut: the / key.",
        search_noscript: "Search needs JavaScript. Without it, browse the sections of the menu.",
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_see_the_theme_strings_by_name_and_not_the_generated_ones() {
        let value = serde_json::to_value(UiStrings::of(Language::En)).unwrap();
        assert_eq!(value["home"], "Home");
        assert_eq!(value["audience_portfolio"], "E4 portfolio");
        assert!(value.get("generated").is_none());
        assert_eq!(value["language_switch"], "Language");
        assert_eq!(value.as_object().unwrap().len(), 34);
    }
}
