//! The product view: what target accounts ask for in a period, topic by
//! topic, with the accounts, the tiers and the items; and the accounts by
//! lead score, with how each score was made.

use super::layout::document;
use super::links::{account_path, query_string, safe_href};
use super::parts::{date, tier};
use super::view::{PERIODS, View};
use crate::dashboard::scores::ScoredGroup;
use crate::product::TopicAsks;
use maud::{Markup, html};

/// Items listed per topic.
const ITEMS_SHOWN: usize = 20;
/// Accounts listed by score.
const SCORED_SHOWN: usize = 50;

/// The product page. `tier` is the tier chosen; `tiers` those to choose from.
pub fn product_page(
    topics: &[TopicAsks],
    scored: &[ScoredGroup],
    view: &View,
    chosen: Option<&str>,
    tiers: &[String],
) -> String {
    let query = query_string(view.days, None, chosen, None);
    let content = html! {
        h1 { "What target accounts ask for" }
        p.muted {
            "Intent topics found in the issues, pull requests, discussions and comments of people "
            "from target accounts in the last " (view.days) " days"
            @if let Some(t) = chosen { ", tier " (t) } "."
        }
        form.filters method="get" action="/dashboard/product" role="search" aria-label="Filters" {
            label {
                "Period"
                select name="days" {
                    @for days in PERIODS {
                        option value=(days) selected[days == view.days] { "Last " (days) " days" }
                    }
                }
            }
            label {
                "Tier"
                select name="tier" {
                    option value="" { "All tiers" }
                    @for t in tiers {
                        option value=(t) selected[chosen.is_some_and(|c| c.eq_ignore_ascii_case(t))] { (t) }
                    }
                }
            }
            button type="submit" { "Apply" }
            a.button.export href=(format!("/dashboard/product.csv{query}")) { "Export CSV" }
        }
        @if topics.is_empty() {
            div.empty {
                p { "No target account asked about a topic in this period." }
            }
        } @else {
            (topic_table(topics))
            @for t in topics {
                (topic_items(t, &query))
            }
        }
        @if !scored.is_empty() {
            h2 { "Accounts by lead score" }
            (score_table(scored, view, &query))
        }
    };
    document(
        "What target accounts ask for",
        view.signed_in_as.as_deref(),
        content,
    )
}

fn topic_table(topics: &[TopicAsks]) -> Markup {
    html! {
        div.scroll {
            table {
                thead { tr {
                    th scope="col" { "Topic" }
                    th.num scope="col" { "Accounts" }
                    th.num scope="col" { "Items" }
                    th scope="col" { "By tier" }
                    th scope="col" { "Accounts" }
                } }
                tbody {
                    @for t in topics {
                        tr {
                            th.name scope="row" { a href=(format!("#topic-{}", t.topic)) { (t.label) } }
                            td.num { (t.accounts.len()) }
                            td.num { (t.items.len()) }
                            td {
                                @for (i, (tier_name, n)) in t.tiers.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    (tier_name.as_deref().unwrap_or("no tier")) ": " (n)
                                }
                            }
                            td {
                                @for (i, a) in t.accounts.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    (a.name) " (" (a.items) ")"
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn topic_items(t: &TopicAsks, query: &str) -> Markup {
    html! {
        h2 id=(format!("topic-{}", t.topic)) { (t.label) }
        ul.sightings {
            @for item in t.items.iter().take(ITEMS_SHOWN) {
                li {
                    strong { (item.account) } " " (tier(item.tier.as_deref())) " · "
                    (item.login) " · " (item.event.noun()) " in " (item.repository) ": "
                    @match safe_href(&item.url) {
                        Some(href) => a href=(href) { (item.title.as_deref().unwrap_or(&item.url)) },
                        None => (item.title.as_deref().unwrap_or("")),
                    }
                    span.muted { " — “" (item.phrase) "” in the " (item.source.as_str()) }
                }
            }
        }
        @if t.items.len() > ITEMS_SHOWN {
            p.muted {
                (t.items.len() - ITEMS_SHOWN) " more in the "
                a href=(format!("/dashboard/product.csv{query}")) { "CSV export" } "."
            }
        }
    }
}

fn score_table(scored: &[ScoredGroup], view: &View, query: &str) -> Markup {
    html! {
        div.scroll {
            table {
                thead { tr {
                    th scope="col" { "Account" }
                    th scope="col" { "Tier" }
                    th.num scope="col" { "Score" }
                    th scope="col" { "How the score was made" }
                    th scope="col" { "Last seen" }
                } }
                tbody {
                    @for g in scored.iter().take(SCORED_SHOWN) {
                        tr {
                            th.name scope="row" {
                                a href=(format!("{}{query}", account_path(&g.row.key))) { (g.row.name) }
                            }
                            td { (tier(g.row.tier.as_deref())) }
                            td.num { strong { (g.score.total) } }
                            td { (g.score.explain()) }
                            td { (date(view.now, g.row.last_seen)) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::pages::fixtures::{acme, readable, view};
    use crate::dashboard::scores::account_scores;
    use crate::intent::{Intent, Source, Taxonomy};
    use crate::product::topics_asked;
    use crate::score::Weights;
    use crate::sighting::{EventKind, SightedItem, Sighting};

    fn asking(id: &str, account: &str, tier: &str, topic: &str, phrase: &str) -> Sighting {
        Sighting {
            delivery_id: id.into(),
            at: 1_795_420_800_000 - id.len() as i64 * 3_600_000,
            event: EventKind::IssueOpened,
            repository: "acme/widgets".into(),
            repository_private: false,
            item: Some(SightedItem {
                number: id.len() as u64,
                title: format!("Question {id} <script>"),
                body: None,
            }),
            url: format!("https://github.com/acme/widgets/issues/{}", id.len()),
            login: format!("user{}", id.len()),
            account: Some(account.to_lowercase()),
            account_name: Some(account.into()),
            organization: Some(account.into()),
            tier: Some(tier.into()),
            confidence: 0.9,
            evidence: String::new(),
            intent: vec![Intent {
                topic: topic.into(),
                phrase: phrase.into(),
                source: Source::Body,
            }],
            signal: None,
            rules: Vec::new(),
            moved_from: None,
        }
    }

    #[test]
    fn topics_by_tier_and_account_with_their_items_and_scores() {
        let sightings = [
            asking("a", "Globex", "enterprise", "sso", "SAML"),
            asking("bb", "Initech", "strategic", "sso", "Okta"),
            asking("ccc", "Globex", "enterprise", "commercial", "pricing"),
        ];
        let taxonomy = Taxonomy::default();
        let topics = topics_asked(&sightings, &taxonomy, None);
        let mut group = acme();
        group.key = "account:globex".into();
        let scored = account_scores(
            &[group],
            &sightings,
            &Default::default(),
            &taxonomy,
            &Weights::default(),
        );
        let html = product_page(&topics, &scored, &view(30), None, &["enterprise".into()]);
        assert!(!html.contains("<script>"), "titles are escaped");
        insta::assert_snapshot!(readable(&html));
    }
}
