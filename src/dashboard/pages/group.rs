//! The page of one account (or organization): its people, repositories and
//! sightings.

use super::layout::document;
use super::links::{account_path, filter_query, github_profile, github_repository, safe_href};
use super::parts::{counts_sentence, date, figures, period_sentence, tier};
use super::view::View;
use crate::dashboard::model::{GROUP_PAGE_SIGHTINGS, GroupPage, Person};
use crate::sighting::Sighting;
use crate::time::Millis;
use maud::{Markup, html};

/// The page of the account in `p` as `view` chose it.
pub fn group_page(p: &GroupPage, view: &View) -> String {
    let query = filter_query(view.days, &p.filter);
    let row = &p.row;
    let content = html! {
        a.back href=(format!("/dashboard{query}")) { "← All accounts" }
        h1 { (row.name) " " (tier(row.tier.as_deref())) }
        p.muted { (period_sentence(view.days, &p.filter)) }
        (figures(&[
            ("People", html! { (row.people) }),
            ("Sightings", html! { (row.counts.total()) }),
            ("First seen", date(view.now, row.first_seen)),
            ("Last seen", date(view.now, row.last_seen)),
        ]))
        p { (counts_sentence(&row.counts)) "." }
        p {
            a.button href=(format!("{}/export.csv{query}", account_path(&row.key))) { "Export CSV" }
        }
        h2 { "People" }
        (people(&p.people, view.now))
        h2 { "Repositories" }
        (repositories(&p.repositories))
        h2 { "Sightings" }
        @if p.sightings.len() >= GROUP_PAGE_SIGHTINGS {
            p.muted { "The " (p.sightings.len()) " most recent; the CSV export has them all." }
        }
        @if p.sightings.is_empty() {
            p.muted { "None in this period." }
        } @else {
            ol.sightings {
                @for s in &p.sightings {
                    li { (sighting(s, view.now)) }
                }
            }
        }
    };
    document(&row.name, view.signed_in_as.as_deref(), content)
}

fn people(people: &[Person], now: Millis) -> Markup {
    html! {
        @if people.is_empty() {
            p.muted { "None in this period." }
        } @else {
            div.scroll {
                table.narrow {
                    thead {
                        tr {
                            th scope="col" { "Login" }
                            th.num scope="col" { "Sightings" }
                            th scope="col" { "Last seen" }
                        }
                    }
                    tbody {
                        @for person in people {
                            tr {
                                th.name scope="row" {
                                    a href=(github_profile(&person.login)) rel="noopener noreferrer" { (person.login) }
                                }
                                td.num { (person.sightings) }
                                td { (date(now, person.last_seen)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn repositories(repositories: &[(String, u64)]) -> Markup {
    html! {
        @if repositories.is_empty() {
            p.muted { "None in this period." }
        } @else {
            div.scroll {
                table.narrow {
                    thead {
                        tr {
                            th scope="col" { "Repository" }
                            th.num scope="col" { "Sightings" }
                        }
                    }
                    tbody {
                        @for (repository, sightings) in repositories {
                            tr {
                                th.name scope="row" {
                                    a href=(github_repository(repository)) rel="noopener noreferrer" { (repository) }
                                }
                                td.num { (sightings) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `2026-03-02 octocat opened an issue in acme/widgets: #12 Title`, then the
/// evidence. The link is left out unless it is `https://` or local.
fn sighting(s: &Sighting, now: Millis) -> Markup {
    let href = safe_href(&s.url);
    html! {
        (date(now, s.at)) " "
        a href=(github_profile(&s.login)) rel="noopener noreferrer" { (s.login) }
        " " (s.event.verb_phrase()) " "
        @match (&s.item, href) {
            (Some(item), Some(href)) => {
                (s.repository) ": "
                a href=(href) rel="noopener noreferrer" { "#" (item.number) " " (item.title) }
            }
            (Some(item), None) => { (s.repository) ": #" (item.number) " " (item.title) }
            (None, Some(href)) => { a href=(href) rel="noopener noreferrer" { (s.repository) } }
            (None, None) => { (s.repository) }
        }
        @if s.repository_private {
            " " span.tier { "private" }
        }
        div.evidence {
            (s.evidence)
            @if !s.evidence.is_empty() { " · " }
            "confidence " (format!("{:.0}%", s.confidence * 100.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::pages::fixtures::{group_page as page, readable, sighting, view};
    use crate::sighting::EventKind;

    #[test]
    fn group_page_snapshot() {
        insta::assert_snapshot!(readable(&group_page(&page(), &view(30))));
    }

    #[test]
    fn links_back_and_to_the_export_keeping_the_query() {
        let mut p = page();
        p.filter.tier = Some("enterprise".to_string());
        let html = group_page(&p, &view(30));
        assert!(html.contains(r#"href="/dashboard?days=30&amp;tier=enterprise""#));
        assert!(html.contains(
            r#"href="/dashboard/accounts/account:1001/export.csv?days=30&amp;tier=enterprise""#
        ));
        assert!(html.contains(r#"href="https://github.com/wile""#));
    }

    #[test]
    fn hostile_sightings_are_neutralized() {
        let mut p = page();
        let mut s = sighting(
            EventKind::IssueOpened,
            "\"><script>alert(1)</script>",
            1,
            Some("<img src=x onerror=alert(1)>"),
        );
        s.url = "javascript:alert(document.cookie)".to_string();
        s.evidence = "\"onload=alert(1)".to_string();
        let mut star = sighting(EventKind::StarCreated, "wile", 2, None);
        star.url = " JavaScript:alert(1)".to_string();
        p.sightings = vec![s, star];
        p.row.name = "<script>alert(2)</script>".to_string();
        p.people[0].login = "\" onmouseover=\"alert(1)".to_string();
        p.repositories[0].0 = "acme/<b>x</b>".to_string();
        let html = group_page(&p, &view(30));
        assert!(!html.to_lowercase().contains("javascript:"));
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("<b>"));
        assert!(!html.contains("\"onload"));
        assert!(!html.contains("\" onmouseover"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("<title>&lt;script&gt;alert(2)&lt;/script&gt; · orgradar</title>"));
    }

    #[test]
    fn says_when_sightings_are_cut_short() {
        let mut p = page();
        let one = p.sightings[0].clone();
        p.sightings = vec![one; GROUP_PAGE_SIGHTINGS];
        let html = group_page(&p, &view(30));
        assert!(html.contains("The 500 most recent; the CSV export has them all."));
    }
}
