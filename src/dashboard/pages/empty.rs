//! The overview with nothing to show, and the real reason why: filters that
//! match nothing, no app credentials yet, no delivery received yet, nobody
//! from an organization seen yet, or none in this period.

use super::links::query_string;
use super::view::{Setup, View};
use crate::dashboard::model::Overview;
use maud::{Markup, html};

pub fn empty_state(o: &Overview, view: &View, setup: Setup) -> Markup {
    let filtered =
        o.filter.repository.is_some() || o.filter.tier.is_some() || o.filter.event.is_some();
    if filtered {
        return html! {
            div.empty {
                p { "No sightings match these filters in the last " (view.days) " days." }
                p {
                    a href=(format!("/dashboard{}", query_string(view.days, None, None, None))) {
                        "Show every sighting of the last " (view.days) " days"
                    }
                }
            }
        };
    }
    html! {
        div.empty {
            @match setup {
                Setup::NoCredentials => {
                    p { strong { "orgradar has no GitHub App yet" } ", so GitHub sends it nothing to show here." }
                    p {
                        "Register the app: open " a href="/" { "the home page" }
                        " on the server's machine and press the button (or run "
                        code { "orgradar register" } "), or set " code { "APP_ID" } " and "
                        code { "PRIVATE_KEY" } " to an existing app's; then install it on your organization."
                    }
                }
                Setup::NoDeliveries => {
                    p { strong { "No webhook delivery has arrived yet." } }
                    p {
                        "Install the app on the organization to watch, if it is not yet. If it is, "
                        "look at the app's Advanced settings on GitHub: its recent deliveries show "
                        "whether GitHub reaches this server at the webhook URL (" code { "PUBLIC_URL" }
                        "), and why not."
                    }
                }
                Setup::NothingSeen => {
                    p { strong { "Deliveries arrive, but nobody from an organization has been seen yet." } }
                    (how_sightings_appear())
                }
                Setup::SeenBefore => {
                    p { "No sightings in the last " (view.days) " days." }
                    @if view.days < 90 {
                        p {
                            a href=(format!("/dashboard{}", query_string(90, None, None, None))) {
                                "Show the last 90 days"
                            }
                        }
                    }
                    (how_sightings_appear())
                }
            }
        }
    }
}

fn how_sightings_appear() -> Markup {
    html! {
        p {
            "Sightings appear when rules in " code { "app.yml" } " match an issue, pull request, "
            "discussion, comment, star or fork by someone from an organization. "
            "People who belong to none are not recorded, nor are insiders and bots."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::pages::fixtures::{empty_overview, view};

    fn text(setup: Setup) -> String {
        empty_state(&empty_overview(30), &view(30), setup).into_string()
    }

    #[test]
    fn says_the_real_reason() {
        assert!(text(Setup::NoCredentials).contains("orgradar has no GitHub App yet"));
        assert!(text(Setup::NoDeliveries).contains("No webhook delivery has arrived yet."));
        assert!(text(Setup::NothingSeen).contains("nobody from an organization has been seen yet"));
        let before = text(Setup::SeenBefore);
        assert!(before.contains("No sightings in the last 30 days."));
        assert!(before.contains("href=\"/dashboard?days=90\""), "{before}");
    }
}
