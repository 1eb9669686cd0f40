//! The overview page: every account seen in a period, with filters, figures
//! and the weekly chart.

use super::chart::weekly_chart;
use super::layout::document;
use super::links::{account_path, filter_query, query_string};
use super::parts::{date, figures, kind_label, period_sentence, tier};
use super::view::{PERIODS, Setup, View};
use crate::dashboard::model::{GroupRow, Overview};
use crate::sighting::EventKind;
use maud::{Markup, PreEscaped, html};

/// The overview page of `o` as `view` chose it; `setup` says why it is
/// empty, when it is.
pub fn overview_page(o: &Overview, view: &View, setup: Setup) -> String {
    let query = filter_query(view.days, &o.filter);
    let content = html! {
        h1 { "Leads" }
        p.muted {
            (period_sentence(view.days, &o.filter)) " "
            a href=(format!("/dashboard/product{}", query_string(view.days, None, o.filter.tier.as_deref(), None))) {
                "What target accounts ask for, and their lead scores"
            }
            " · "
            a href="/dashboard/precision" { "How often orgradar was right" }
        }
        (filter_bar(o, view, &query))
        @if o.groups.is_empty() {
            (super::empty::empty_state(o, view, setup))
        } @else {
            (summary(&o.groups))
            h2 { "Sightings per week" }
            (PreEscaped(weekly_chart(&o.weeks, o.filter.from, o.filter.to)))
            (group_tables(&o.groups, view, &query))
        }
    };
    document("Leads", view.signed_in_as.as_deref(), content)
}

/// The filters as a GET form, and the export of what they select.
fn filter_bar(o: &Overview, view: &View, query: &str) -> Markup {
    let filter = &o.filter;
    let repositories = with_current(&o.repositories, filter.repository.as_deref());
    let tiers = with_current(&o.tiers, filter.tier.as_deref());
    let mut periods = PERIODS.to_vec();
    if !periods.contains(&view.days) {
        periods.push(view.days);
        periods.sort_unstable();
    }
    let is_tier = |t: &str| {
        filter
            .tier
            .as_deref()
            .is_some_and(|chosen| chosen.eq_ignore_ascii_case(t))
    };
    html! {
        form.filters method="get" action="/dashboard" role="search" aria-label="Filters" {
            label {
                "Period"
                select name="days" {
                    @for days in periods {
                        option value=(days) selected[days == view.days] { "Last " (days) " days" }
                    }
                }
            }
            label {
                "Repository"
                select name="repository" {
                    option value="" { "All repositories" }
                    @for r in &repositories {
                        option value=(r) selected[filter.repository.as_deref() == Some(r.as_str())] { (r) }
                    }
                }
            }
            label {
                "Tier"
                select name="tier" {
                    option value="" { "All tiers" }
                    @for t in &tiers {
                        option value=(t) selected[is_tier(t)] { (t) }
                    }
                }
            }
            label {
                "Event"
                select name="event" {
                    option value="" { "All events" }
                    @for kind in EventKind::SEEN {
                        option value=(kind.as_str()) selected[filter.event == Some(kind)] { (kind_label(kind)) }
                    }
                }
            }
            button type="submit" { "Apply" }
            a.button.export href=(format!("/dashboard/export.csv{query}")) { "Export CSV" }
        }
    }
}

/// The choices of a filter, keeping the chosen one even when the period has
/// no sightings of it.
fn with_current(choices: &[String], current: Option<&str>) -> Vec<String> {
    let mut all = choices.to_vec();
    if let Some(current) = current
        && !current.is_empty()
        && !all.iter().any(|c| c.eq_ignore_ascii_case(current))
    {
        all.push(current.to_string());
    }
    all
}

fn summary(groups: &[GroupRow]) -> Markup {
    let targets = groups.iter().filter(|g| g.account.is_some()).count();
    let people: u64 = groups.iter().map(|g| g.people).sum();
    let sightings: u64 = groups.iter().map(|g| g.counts.total()).sum();
    figures(&[
        ("Target accounts seen", html! { (targets) }),
        ("Other organizations", html! { (groups.len() - targets) }),
        ("People", html! { (people) }),
        ("Sightings", html! { (sightings) }),
    ])
}

/// The target accounts, then (apart) the other organizations seen.
fn group_tables(groups: &[GroupRow], view: &View, query: &str) -> Markup {
    let (targets, others): (Vec<&GroupRow>, Vec<&GroupRow>) =
        groups.iter().partition(|g| g.account.is_some());
    html! {
        section.targets aria-labelledby="targets" {
            h2 #targets { "Target accounts" }
            @if targets.is_empty() {
                p.muted { "None of the target accounts in " code { "app.yml" } " was seen in this period." }
            } @else {
                (groups_table(&targets, "Account", view, query))
            }
        }
        @if !others.is_empty() {
            section.others aria-labelledby="others" {
                h2 #others { "Other organizations" }
                p.muted {
                    "Seen, but not among the target accounts in " code { "app.yml" }
                    ": prospects to add, or noise."
                }
                (groups_table(&others, "Organization", view, query))
            }
        }
    }
}

fn groups_table(groups: &[&GroupRow], first: &str, view: &View, query: &str) -> Markup {
    html! {
        div.scroll {
            table {
                thead {
                    tr {
                        th scope="col" { (first) }
                        th scope="col" { "Tier" }
                        th.num scope="col" { "People" }
                        @for kind in EventKind::SEEN {
                            th.num scope="col" { (kind_label(kind)) }
                        }
                        th.num scope="col" { "Total" }
                        th scope="col" { "First seen" }
                        th scope="col" { "Last seen" }
                    }
                }
                tbody {
                    @for &g in groups {
                        tr {
                            th.name scope="row" {
                                a href=(format!("{}{query}", account_path(&g.key))) { (g.name) }
                            }
                            td { (tier(g.tier.as_deref())) }
                            td.num { (g.people) }
                            @for kind in EventKind::SEEN {
                                td.num { (g.counts.get(kind)) }
                            }
                            td.num { strong { (g.counts.total()) } }
                            td { (date(view.now, g.first_seen)) }
                            td { (date(view.now, g.last_seen)) }
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
    use crate::dashboard::pages::fixtures::{empty_overview, overview, readable, view};

    #[test]
    fn overview_with_three_accounts_and_ten_weeks() {
        insta::assert_snapshot!(readable(&overview_page(
            &overview(),
            &view(90),
            Setup::SeenBefore
        )));
    }

    #[test]
    fn overview_without_sightings() {
        let html = overview_page(&empty_overview(30), &view(30), Setup::SeenBefore);
        assert!(html.contains("No sightings in the last 30 days."));
        insta::assert_snapshot!(readable(&html));
    }

    #[test]
    fn empty_overview_with_filters_offers_to_clear_them() {
        let mut o = empty_overview(7);
        o.filter.tier = Some("enterprise".to_string());
        let html = overview_page(&o, &view(7), Setup::SeenBefore);
        assert!(html.contains("No sightings match these filters in the last 7 days."));
        assert!(html.contains(r#"href="/dashboard?days=7""#));
        assert!(html.contains(r#"<option value="enterprise" selected>enterprise</option>"#));
    }

    #[test]
    fn links_keep_the_query() {
        let mut o = overview();
        o.filter.repository = Some("acme/widgets".to_string());
        o.filter.event = Some(EventKind::StarCreated);
        let html = overview_page(&o, &view(90), Setup::SeenBefore);
        let query = "?days=90&amp;repository=acme%2Fwidgets&amp;event=star.created";
        assert!(html.contains(&format!(r#"href="/dashboard/export.csv{query}""#)));
        assert!(html.contains(&format!(
            r#"href="/dashboard/accounts/account:1001{query}""#
        )));
        assert!(html.contains(r#"<option value="star.created" selected>Stars</option>"#));
        assert!(html.contains(r#"<option value="90" selected>Last 90 days</option>"#));
    }

    #[test]
    fn is_a_complete_page() {
        let html = overview_page(&overview(), &view(90), Setup::SeenBefore);
        assert!(html.starts_with("<!doctype html>"));
        for part in [
            r#"<html lang="en">"#,
            r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#,
            r#"<meta name="robots" content="noindex">"#,
            "<title>Leads · orgradar</title>",
            r#"<form method="post" action="/dashboard/logout">"#,
        ] {
            assert!(html.contains(part), "{part}");
        }
        assert!(!html.contains("<script"));
        assert!(!html.contains("http://"), "no request elsewhere");
    }

    #[test]
    fn hostile_text_is_escaped() {
        let mut o = overview();
        o.groups[0].name = "<script>alert(1)</script>".to_string();
        o.groups[0].key = "org:\"><script>".to_string();
        o.groups[1].tier = Some("\"onload=alert(1)".to_string());
        o.repositories.push("a/\"onload=alert(1)".to_string());
        o.tiers.push("<img src=x onerror=alert(1)>".to_string());
        let html = overview_page(&o, &view(90), Setup::SeenBefore);
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("\"onload"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&quot;onload=alert(1)"));
        assert!(html.contains("/dashboard/accounts/org:%22%3E%3Cscript%3E?days=90"));
    }
}
