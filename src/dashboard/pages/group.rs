//! The page of one account (or organization): its people, repositories and
//! sightings.

use super::answers::{About, Answers, answer_form, notice_banner, said_line};
use super::layout::document;
use super::links::{account_path, filter_query, github_profile, github_repository, safe_href};
use super::parts::{counts_sentence, date, figures, period_sentence, tier};
use super::view::View;
use crate::dashboard::model::{GROUP_PAGE_SIGHTINGS, GroupPage, Person};
use crate::sighting::Sighting;
use crate::time::Millis;
use maud::{Markup, html};

/// The page of the account in `p` as `view` chose it, with what readers
/// answered about its people and the forms to answer.
pub fn group_page(p: &GroupPage, view: &View, answers: &Answers) -> String {
    let query = filter_query(view.days, &p.filter);
    let row = &p.row;
    let account = row.account.as_deref().map(|id| About {
        id,
        name: &row.name,
    });
    let content = html! {
        (notice_banner(answers))
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
        (people(p, account, answers, view.now))
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
                    li { (sighting(s, answers, view.now)) }
                }
            }
        }
    };
    document(&row.name, view.signed_in_as.as_deref(), content)
}

/// The people, each with the answer in force about them and the forms to
/// answer (on their latest sighting here, when the page lists it).
fn people(p: &GroupPage, account: Option<About<'_>>, answers: &Answers, now: Millis) -> Markup {
    let people: &[Person] = &p.people;
    let latest = |login: &str| {
        p.sightings
            .iter()
            .find(|s| s.login.eq_ignore_ascii_case(login) && s.account == p.row.account)
            .map(|s| s.delivery_id.as_str())
    };
    let answering = answers.csrf.is_some() || !answers.said.is_empty();
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
                            @if answering {
                                th scope="col" { "Answer" }
                            }
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
                                @if answering {
                                    td.answers {
                                        @if let Some(said) = answers.about(&person.login) {
                                            (said_line(said, now))
                                        }
                                        (answer_form(answers, &person.login, account, latest(&person.login)))
                                    }
                                }
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
/// evidence, the answer given on it and the forms to answer. The link is
/// left out unless it is `https://` or local.
fn sighting(s: &Sighting, answers: &Answers, now: Millis) -> Markup {
    let href = safe_href(&s.url);
    let account = s.account.as_deref().map(|id| About {
        id,
        name: s.account_name.as_deref().unwrap_or(id),
    });
    let said = answers
        .about(&s.login)
        .filter(|said| said.sighting.as_deref() == Some(s.delivery_id.as_str()));
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
        @if let Some(said) = said {
            div { (said_line(said, now)) }
        }
        (answer_form(answers, &s.login, account, Some(&s.delivery_id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::pages::answers::Said;
    use crate::dashboard::pages::dates::DAY;
    use crate::dashboard::pages::fixtures::NOW;
    use crate::dashboard::pages::fixtures::{group_page as page, readable, sighting, view};
    use crate::people::Via;

    fn answers() -> Answers {
        Answers::default()
    }

    /// A signed-in reader, after answering about wile; @dana said
    /// roadrunner is not at Acme in Slack.
    fn signed_in() -> Answers {
        let said = Said {
            what: "Marked not Acme Corp".into(),
            by: "@dana".into(),
            via: Via::Slack,
            at: NOW - 2 * DAY,
            sighting: Some("d-roadrunner-9".into()),
        };
        Answers {
            said: [("roadrunner".to_string(), said)].into(),
            csrf: Some("0123abcd".into()),
            back: "/dashboard/accounts/account:1001?days=30".into(),
            notice: Some(
                "Confirmed Acme Corp for wile: orgradar follows this answer from now on.".into(),
            ),
        }
    }

    #[test]
    fn group_page_with_answers_snapshot() {
        insta::assert_snapshot!(readable(&group_page(&page(), &view(30), &signed_in())));
    }

    #[test]
    fn people_and_sightings_can_be_answered() {
        let html = group_page(&page(), &view(30), &signed_in());
        assert!(html.contains(r#"<p class="notice" role="status">Confirmed Acme Corp for wile"#));
        // Three sightings and two people: five forms, all to the same place.
        assert_eq!(
            html.matches(r#"<form class="answer" method="post""#)
                .count(),
            5
        );
        assert_eq!(
            html.matches(r#"action="/dashboard/people/wile/correct""#)
                .count(),
            3
        );
        assert_eq!(html.matches(r#"name="csrf" value="0123abcd""#).count(), 5);
        // A person's form is about their latest sighting here.
        let wile = html
            .split("<th class=\"name\" scope=\"row\">")
            .nth(1)
            .unwrap();
        let wile = wile.split("</tr>").next().unwrap();
        assert!(
            wile.contains(r#"name="sighting" value="d-wile-1""#),
            "{wile}"
        );
        for button in [
            r#"name="verdict" value="confirm">Confirm Acme Corp</button>"#,
            r#"name="verdict" value="none">Not Acme Corp</button>"#,
            r#"name="verdict" value="ignore">Ignore wile</button>"#,
        ] {
            assert!(html.contains(button), "{button}");
        }
        // The human answer shows on the person and on the sighting it was given on.
        assert_eq!(
            html.matches("<strong>Marked not Acme Corp</strong> · by @dana via Slack")
                .count(),
            2
        );
        assert!(!html.contains("<script"));
    }

    #[test]
    fn another_organization_offers_ignore_only() {
        let mut p = page();
        p.row.account = None;
        p.row.key = "org:acme".into();
        for s in &mut p.sightings {
            s.account = None;
        }
        let html = group_page(&p, &view(30), &signed_in());
        assert!(html.contains("Ignore wile"));
        assert!(
            !html.contains(r#"value="confirm""#),
            "no target account to confirm"
        );
        assert!(!html.contains(r#"name="account""#));
    }

    #[test]
    fn a_token_reader_gets_no_forms() {
        let mut answers = signed_in();
        answers.csrf = None;
        let html = group_page(&page(), &view(30), &answers);
        assert!(!html.contains("<form class=\"answer\""));
        assert!(
            html.contains("by @dana via Slack"),
            "answers are still shown"
        );
    }
    use crate::sighting::EventKind;

    #[test]
    fn group_page_snapshot() {
        insta::assert_snapshot!(readable(&group_page(&page(), &view(30), &answers())));
    }

    #[test]
    fn links_back_and_to_the_export_keeping_the_query() {
        let mut p = page();
        p.filter.tier = Some("enterprise".to_string());
        let html = group_page(&p, &view(30), &answers());
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
        let html = group_page(&p, &view(30), &answers());
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
        let html = group_page(&p, &view(30), &answers());
        assert!(html.contains("The 500 most recent; the CSV export has them all."));
    }
}
