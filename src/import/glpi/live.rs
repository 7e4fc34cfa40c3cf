//! Live mode: reading tickets, their timeline, actors and history, and the knowledge base
//! straight from GLPI's REST API v1 (`apirest.php`), a page at a time.
//!
//! The tokens come from the environment ([`APP_TOKEN_VARIABLE`], [`USER_TOKEN_VARIABLE`]),
//! never from a file of the site, and are never printed: errors name the request path only.

use std::time::Duration;

use serde_json::Value;

use super::api;
use super::record::Harvest;

/// The environment variable holding the API client's App-Token (optional in GLPI).
pub const APP_TOKEN_VARIABLE: &str = "GLPI_APP_TOKEN";
/// The environment variable holding the user's API token (Préférences > Clés d'accès
/// distant > Jeton d'API).
pub const USER_TOKEN_VARIABLE: &str = "GLPI_USER_TOKEN";

/// Items per request: GLPI's `range` is inclusive (`0-99`).
const PAGE: usize = 100;

/// A session with GLPI's API.
struct Session {
    agent: ureq::Agent,
    base: String,
    app_token: Option<String>,
    session_token: String,
}

/// Reads everything the importer uses from the API at `base`
/// (`https://glpi.example/apirest.php`). `progress` gets (tickets done, tickets in all).
pub(crate) fn fetch(
    base: &str,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Harvest, String> {
    let user_token = std::env::var(USER_TOKEN_VARIABLE)
        .ok()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            format!("live mode needs the user's API token in {USER_TOKEN_VARIABLE} (and the client's App-Token in {APP_TOKEN_VARIABLE} when GLPI asks for one)")
        })?;
    let app_token = std::env::var(APP_TOKEN_VARIABLE)
        .ok()
        .filter(|t| !t.trim().is_empty());
    let session = Session::open(base.trim_end_matches('/'), &user_token, app_token)?;
    let result = session.harvest(progress);
    session.close();
    result
}

impl Session {
    fn open(base: &str, user_token: &str, app_token: Option<String>) -> Result<Session, String> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .user_agent(concat!("guichet-import/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let mut request = agent
            .get(format!("{base}/initSession"))
            .header("Authorization", format!("user_token {}", user_token.trim()));
        if let Some(app) = &app_token {
            request = request.header("App-Token", app.trim());
        }
        let answer = answer_of("initSession", request.call())?;
        let session_token = answer
            .0
            .get("session_token")
            .and_then(Value::as_str)
            .ok_or("initSession answered without a session_token: is the URL GLPI's apirest.php?")?
            .to_string();
        Ok(Session {
            agent,
            base: base.to_string(),
            app_token,
            session_token,
        })
    }

    fn get(&self, path: &str) -> Result<(Value, Option<usize>), String> {
        let mut request = self
            .agent
            .get(format!("{}/{path}", self.base))
            .header("Session-Token", &self.session_token);
        if let Some(app) = &self.app_token {
            request = request.header("App-Token", app.trim());
        }
        answer_of(path.split('?').next().unwrap_or(path), request.call())
    }

    /// Every item of `itemtype`, page by page.
    fn all(&self, itemtype: &str, query: &str) -> Result<Vec<Value>, String> {
        let mut items = Vec::new();
        loop {
            let start = items.len();
            let path = format!("{itemtype}?range={start}-{}&{query}", start + PAGE - 1);
            let (value, total) = self.get(&path)?;
            let page = match value {
                Value::Array(a) => a,
                _ => return Err(format!("GET {itemtype}: expected a list of items")),
            };
            let got = page.len();
            items.extend(page);
            let done = total.is_some_and(|t| items.len() >= t) || got < PAGE;
            if done || got == 0 {
                return Ok(items);
            }
        }
    }

    fn harvest(&self, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Harvest, String> {
        let tickets = self.all("Ticket", "expand_dropdowns=true&with_logs=true")?;
        let mut harvest = api::read_value(&Value::Array(tickets.clone()), "GET Ticket")?;
        for (done, ticket) in tickets.iter().enumerate() {
            let Some(id) = ticket.get("id").and_then(Value::as_u64) else {
                continue;
            };
            for sub in ["ITILFollowup", "TicketTask", "ITILSolution", "Ticket_User"] {
                let path = format!("Ticket/{id}/{sub}?expand_dropdowns=true");
                let (value, _) = self.get(&path)?;
                if value.as_array().is_some_and(|a| !a.is_empty()) {
                    harvest.extend(api::read_value(&value, &format!("GET Ticket/{id}/{sub}"))?);
                }
            }
            progress(done + 1, tickets.len());
        }
        let articles = self.all("KnowbaseItem", "expand_dropdowns=true")?;
        if !articles.is_empty() {
            harvest.extend(api::read_value(
                &Value::Array(articles),
                "GET KnowbaseItem",
            )?);
        }
        Ok(harvest)
    }

    fn close(&self) {
        // Best effort: a session left open expires on GLPI's side anyway.
        let _ = self.get("killSession");
    }
}

/// The JSON of an answer and the total of a paged list (`Content-Range: 0-99/250`).
fn answer_of(
    what: &str,
    result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<(Value, Option<usize>), String> {
    let mut response = result.map_err(|e| format!("GET {what}: {e}"))?;
    let status = response.status().as_u16();
    let total = response
        .headers()
        .get("Content-Range")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit('/').next())
        .and_then(|t| t.trim().parse().ok());
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("GET {what}: {e}"))?;
    if status >= 400 {
        // GLPI answers errors as ["ERROR_CODE", "message"].
        let detail: String = serde_json::from_str::<Vec<String>>(&text)
            .map(|v| v.join(": "))
            .unwrap_or_else(|_| text.chars().take(200).collect());
        let help = if status == 401 {
            format!(" (check {USER_TOKEN_VARIABLE} and {APP_TOKEN_VARIABLE})")
        } else {
            String::new()
        };
        return Err(format!("GET {what}: HTTP {status}: {detail}{help}"));
    }
    let value = serde_json::from_str(&text)
        .map_err(|e| format!("GET {what}: the answer is not JSON ({e})"))?;
    Ok((value, total))
}
