//! "Avant de créer un ticket": the self-service page (and the ```` ```avant-ticket ````
//! embed) that meets users while they describe their problem. The block is a plain form to
//! the search page and a plain link to GLPI's ticket form; selfservice.js turns it into
//! suggestions as the user types (procedures for users first, then resolved tickets) and
//! carries the typed words into GLPI's form.

use crate::config::Config;
use crate::content::Audience;
use crate::escape::escape;
use crate::language::Language;
use crate::site::Site;

use super::links::page_href;

/// GLPI's form to create a ticket, below `glpi_url`. GLPI fills a new ticket's fields from
/// the request (CommonITILObject::restoreInputAndDefaults: a value given in the URL wins
/// over the default), so `name` and `content` carry the user's words.
pub(crate) const GLPI_TICKET_FORM: &str = "front/ticket.form.php";

/// Where the self-service page is and what it is called, when the site has one.
pub(crate) struct SelfServicePage {
    /// Its URL, relative to the site (`avant-de-creer-un-ticket/`).
    pub url: String,
    /// Its title.
    pub title: String,
}

/// The self-service page of `site`: on when guichet.yaml says so, else when the site has
/// procedures for users.
pub(crate) fn self_service_page(site: &Site) -> Option<SelfServicePage> {
    let settings = &site.config.self_service;
    let has_procedures = site
        .pages
        .iter()
        .any(|p| p.front.audience == Some(Audience::Utilisateurs));
    if !settings.enabled.unwrap_or(has_procedures) {
        return None;
    }
    let lang = site.config.language;
    Some(SelfServicePage {
        url: settings.url.clone().unwrap_or_else(|| {
            lang.pick("avant-de-creer-un-ticket/", "before-you-open-a-ticket/")
                .to_string()
        }),
        title: settings.title.clone().unwrap_or_else(|| {
            lang.pick("Avant de créer un ticket", "Before you open a ticket")
                .to_string()
        }),
    })
}

/// The words of the block, per language.
struct Words {
    intro: &'static str,
    label: &'static str,
    placeholder: &'static str,
    submit: &'static str,
    resolved: &'static str,
    yes: &'static str,
    no: &'static str,
    thanks: &'static str,
    still: &'static str,
    glpi: &'static str,
    no_glpi: &'static str,
}

const FR: Words = Words {
    intro: "Décrivez votre problème avec vos mots : les procédures qui y répondent s'affichent pendant que vous tapez, puis les tickets déjà résolus pour un problème semblable. Beaucoup de problèmes se règlent en cinq minutes, sans attendre un technicien.",
    label: "Votre problème",
    placeholder: "Par exemple : imprimante hors ligne",
    submit: "Chercher une solution",
    resolved: "Ce contenu a-t-il résolu votre problème ?",
    yes: "Oui",
    no: "Non",
    thanks: "Tant mieux ! Vous n'avez pas besoin de créer de ticket.",
    still: "Toujours bloqué ? Créez un ticket : vos mots sont repris dans le formulaire.",
    glpi: "Créer un ticket dans GLPI",
    no_glpi: "Pour créer un ticket, ouvrez GLPI (l'adresse n'est pas indiquée dans guichet.yaml : clé glpi_url).",
};

const EN: Words = Words {
    intro: "Describe your problem in your own words: the procedures that answer it show up as you type, then the tickets already solved for a similar problem. Many problems are solved in five minutes, without waiting for a technician.",
    label: "Your problem",
    placeholder: "For example: printer offline",
    submit: "Look for a solution",
    resolved: "Did this solve your problem?",
    yes: "Yes",
    no: "No",
    thanks: "Good! You do not need to open a ticket.",
    still: "Still stuck? Open a ticket: your words are carried into the form.",
    glpi: "Open a ticket in GLPI",
    no_glpi: "To open a ticket, open GLPI (its address is not set in guichet.yaml: key glpi_url).",
};

/// The address of GLPI's ticket form, when guichet.yaml gives `glpi_url`.
pub(crate) fn glpi_form_url(config: &Config) -> Option<String> {
    config
        .glpi_url
        .as_ref()
        .map(|base| format!("{base}{GLPI_TICKET_FORM}"))
}

/// The self-service block for a page at `from_url` in `lang`; `id` makes its element ids
/// unique in the page.
pub(crate) fn self_service_html(
    config: &Config,
    from_url: &str,
    lang: Language,
    id: &str,
) -> String {
    let w = match lang {
        Language::Fr => &FR,
        Language::En => &EN,
    };
    let search = page_href(config, from_url, "search/");
    let id = escape(id);
    let glpi = match glpi_form_url(config) {
        Some(url) => format!(
            "<p class=\"self-service-glpi\"><a class=\"button\" href=\"{0}\" data-glpi=\"{0}\">{1}</a></p>",
            escape(&url),
            w.glpi
        ),
        None => format!("<p class=\"self-service-glpi\">{}</p>", escape(w.no_glpi)),
    };
    format!(
        "<div class=\"self-service\" data-self-service>\n\
         <p>{intro}</p>\n\
         <form class=\"self-service-form\" action=\"{search}\" method=\"get\" role=\"search\">\
         <label for=\"{id}-q\">{label}</label> \
         <input id=\"{id}-q\" name=\"q\" type=\"search\" placeholder=\"{placeholder}\" autocomplete=\"off\"> \
         <button type=\"submit\">{submit}</button></form>\n\
         <div class=\"self-service-results\" data-self-service-results aria-live=\"polite\" hidden></div>\n\
         <div class=\"self-service-feedback\" data-self-service-feedback hidden>\
         <p>{resolved} <button type=\"button\" data-answer=\"yes\">{yes}</button> \
         <button type=\"button\" data-answer=\"no\">{no}</button></p>\
         <p class=\"self-service-thanks\">{thanks}</p><p class=\"self-service-still\">{still}</p></div>\n\
         {glpi}\n</div>\n",
        intro = escape(w.intro),
        label = w.label,
        placeholder = escape(w.placeholder),
        submit = w.submit,
        resolved = escape(w.resolved),
        yes = w.yes,
        no = w.no,
        thanks = escape(w.thanks),
        still = escape(w.still),
    )
}
