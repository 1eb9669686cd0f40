//! `/dashboard/precision`: how often orgradar named the right account, by
//! the answers people gave, over the last 30 and 90 days side by side.

use super::layout::document;
use super::parts::figures;
use super::view::View;
use crate::people::precision::{HOW_TO_ANSWER, Precision, Tally};
use maud::{Markup, html};
use std::collections::BTreeSet;

/// `75% (3 of 4)`, or `–` when nothing was judged.
pub fn ratio(t: &Tally) -> String {
    match t.ratio() {
        Some(r) => format!("{:.0}% ({} of {})", r * 100.0, t.right, t.judged()),
        None => "–".to_string(),
    }
}

/// The page of `windows` (shortest first), with `name` giving an account's
/// display name.
pub fn precision_page(windows: &[Precision], view: &View, name: &dyn Fn(&str) -> String) -> String {
    let labels: Vec<String> = windows.iter().map(|w| label(w.days)).collect();
    let overall: Vec<(&str, Markup)> = windows
        .iter()
        .zip(&labels)
        .map(|(w, l)| (l.as_str(), html! { (ratio(&w.overall)) }))
        .collect();
    let content = html! {
        a.back href="/dashboard" { "← All accounts" }
        h1 { "How often orgradar was right" }
        p.muted {
            "Measured by the answers people gave on its sightings: a confirmation counts as right; "
            "“not” or another account counts as wrong. Each sighting counts once, by its latest answer."
        }
        @if windows.iter().all(Precision::is_empty) {
            div.empty {
                p { strong { "No answers yet." } " " (HOW_TO_ANSWER) }
            }
        } @else {
            (figures(&overall))
            h2 { "By signal" }
            p.muted { "The kind of evidence that decided the account." }
            (breakdown(windows, "Signal", |w| &w.by_signal, &|k| k.replace('_', " ")))
            h2 { "By account" }
            (breakdown(windows, "Account", |w| &w.by_account, name))
            h2 { "By rule" }
            (breakdown(windows, "Rule", |w| &w.by_rule, &str::to_string))
            p.muted {
                @for (i, w) in windows.iter().enumerate() {
                    @if i > 0 { " " }
                    "Last " (w.days) " days: " (w.answers) " answers, "
                    (w.ignored) " to leave someone alone, "
                    (w.unjudged) " about no sighting."
                }
            }
        }
    };
    document("Precision", view.signed_in_as.as_deref(), content)
}

fn label(days: u32) -> String {
    format!("Right, last {days} days")
}

/// One table: a row per key of any window, a column group per window.
fn breakdown(
    windows: &[Precision],
    first: &str,
    of: impl Fn(&Precision) -> &std::collections::BTreeMap<String, Tally>,
    name: &dyn Fn(&str) -> String,
) -> Markup {
    let keys: BTreeSet<&String> = windows.iter().flat_map(|w| of(w).keys()).collect();
    html! {
        @if keys.is_empty() {
            p.muted { "None judged yet." }
        } @else {
            div.scroll {
                table.narrow {
                    thead {
                        tr {
                            th scope="col" { (first) }
                            @for w in windows {
                                th.num scope="col" { "Right, " (w.days) " days" }
                                th.num scope="col" { "Wrong" }
                            }
                        }
                    }
                    tbody {
                        @for key in keys {
                            tr {
                                th.name scope="row" { (name(key)) }
                                @for w in windows {
                                    @let t = of(w).get(key).copied().unwrap_or_default();
                                    td.num { (ratio(&t)) }
                                    td.num { (t.wrong) }
                                }
                            }
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
    use crate::dashboard::pages::fixtures::{NOW, readable, view};
    use crate::people::precision::measure;
    use crate::people::{Correction, Sighted, Verdict, Via};

    fn answer(id: &str, verdict: Verdict, account: Option<&str>, days_ago: i64) -> Correction {
        Correction {
            id: id.into(),
            login: "wile".into(),
            verdict,
            account: account.map(str::to_string),
            sighting: Some(format!("d-{id}")),
            sighted: Sighted {
                account: Some("1001".into()),
                signal: Some("email_domain".into()),
                rules: vec!["enterprise-leads".into()],
            },
            by: "@dana".into(),
            via: Via::Slack,
            note: None,
            at: NOW - days_ago * crate::people::precision::DAY,
        }
    }

    fn name(id: &str) -> String {
        if id == "1001" {
            "Acme <Corp>".into()
        } else {
            id.into()
        }
    }

    #[test]
    fn precision_page_snapshot() {
        let answers = [
            answer("a", Verdict::Confirm, Some("1001"), 1),
            answer("b", Verdict::Confirm, Some("1001"), 2),
            answer("c", Verdict::None, None, 3),
            answer("d", Verdict::None, None, 40),
        ];
        let windows = [measure(&answers, NOW, 30), measure(&answers, NOW, 90)];
        let html = precision_page(&windows, &view(30), &name);
        assert!(html.contains("<dd>67% (2 of 3)</dd>"), "{html}");
        assert!(html.contains("<dd>50% (2 of 4)</dd>"), "{html}");
        assert!(html.contains("Acme &lt;Corp&gt;"));
        insta::assert_snapshot!(readable(&html));
    }

    #[test]
    fn says_how_answers_are_given_when_there_are_none() {
        let windows = [measure(&[], NOW, 30), measure(&[], NOW, 90)];
        let html = precision_page(&windows, &view(30), &name);
        assert!(html.contains("No answers yet."));
        assert!(html.contains("Slack"));
        assert!(html.contains("orgradar people set"));
    }
}
