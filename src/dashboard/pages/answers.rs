//! The answers on an account page: what readers said about each person (the
//! answer in force), and the forms to answer: confirm the account, say the
//! person is not at it, or leave them alone. Plain forms, no script.

use super::links::answer_path;
use super::parts::date;
use crate::people::{Correction, Verdict, Via};
use crate::time::Millis;
use maud::{Markup, html};
use std::collections::BTreeMap;

/// The answer in force about a person, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// "Marked not Acme Corporation", "Confirmed Acme Corporation", ...
    pub what: String,
    /// `@dana` (Slack), a GitHub login (the dashboard), an operator (CLI).
    pub by: String,
    pub via: Via,
    pub at: Millis,
    /// The sighting it was given on, if any.
    pub sighting: Option<String>,
}

/// What an account page shows of answers and offers to answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    /// The answer in force per person on the page, by lowercased login.
    pub said: BTreeMap<String, Said>,
    /// The signed-in person's form token; `None`: no forms (a token reads
    /// the page, or the demo shows it).
    pub csrf: Option<String>,
    /// The page's own address, where an answer comes back to.
    pub back: String,
    /// What the answer just given does, once it came back.
    pub notice: Option<String>,
}

impl Answers {
    /// The answers in force among `corrections` about the people in
    /// `logins`, with `name` giving an account's display name.
    pub fn said<'a>(
        corrections: &[Correction],
        logins: impl IntoIterator<Item = &'a str>,
        name: impl Fn(&str) -> String,
    ) -> BTreeMap<String, Said> {
        let wanted: Vec<String> = logins.into_iter().map(str::to_lowercase).collect();
        let mut said = BTreeMap::new();
        for c in corrections {
            let login = c.login.to_lowercase();
            if !wanted.contains(&login) {
                continue;
            }
            let newer = said
                .get(&login)
                .is_none_or(|s: &(Millis, &str, Said)| (s.0, s.1) <= (c.at, c.id.as_str()));
            if newer {
                let s = Said {
                    what: c.decided(&name),
                    by: c.by.clone(),
                    via: c.via,
                    at: c.at,
                    sighting: c.sighting.clone(),
                };
                said.insert(login, (c.at, c.id.as_str(), s));
            }
        }
        said.into_iter().map(|(k, (_, _, s))| (k, s)).collect()
    }

    /// The answer in force about `login`.
    pub fn about(&self, login: &str) -> Option<&Said> {
        self.said.get(&login.to_lowercase())
    }
}

/// What an answer given on the dashboard does, for the page it comes back
/// to: "Marked not Acme Corporation for wile: the labels and tracking issue
/// are being put right."
pub fn notice(c: &Correction, name: impl Fn(&str) -> String) -> String {
    let decided = c.decided(&name);
    match c.verdict {
        Verdict::Confirm => format!(
            "{decided} for {}: orgradar follows this answer from now on.",
            c.login
        ),
        Verdict::Account | Verdict::None => format!(
            "{decided} for {}: the labels and tracking issue are being put right.",
            c.login
        ),
        Verdict::Ignore => format!(
            "{decided}: no more lookups or notices about them; their labels and tracking issue are being put right."
        ),
    }
}

/// "Marked not Acme Corporation · by @dana via Slack, 2026-03-02".
pub fn said_line(s: &Said, now: Millis) -> Markup {
    html! {
        span.said {
            strong { (s.what) }
            " · by " (s.by) " via " (s.via.phrase()) ", " (date(now, s.at))
        }
    }
}

/// The account an answer is about: its id and display name.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// The buttons to answer about `login`: `Confirm <account>` and
/// `Not <account>` when `account` is a target account, and `Ignore
/// <login>`; on `sighting`, when the answer is about one. Nothing when the
/// page offers no forms.
pub fn answer_form(
    answers: &Answers,
    login: &str,
    account: Option<About<'_>>,
    sighting: Option<&str>,
) -> Markup {
    let Some(csrf) = &answers.csrf else {
        return html! {};
    };
    html! {
        form.answer method="post" action=(answer_path(login)) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="back" value=(answers.back);
            @if let Some(sighting) = sighting {
                input type="hidden" name="sighting" value=(sighting);
            }
            @if let Some(account) = account {
                input type="hidden" name="account" value=(account.id);
                button type="submit" name="verdict" value="confirm" { "Confirm " (account.name) }
                button type="submit" name="verdict" value="none" { "Not " (account.name) }
            }
            button type="submit" name="verdict" value="ignore" { "Ignore " (login) }
        }
    }
}

/// The confirmation of the answer just given, if any.
pub fn notice_banner(answers: &Answers) -> Markup {
    html! {
        @if let Some(notice) = &answers.notice {
            p.notice role="status" { (notice) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::Sighted;

    fn answer(id: &str, login: &str, verdict: Verdict, at: Millis) -> Correction {
        Correction {
            id: id.into(),
            login: login.into(),
            verdict,
            account: (verdict == Verdict::Confirm).then(|| "acme".to_string()),
            sighting: Some("d1".into()),
            sighted: Sighted {
                account: Some("acme".into()),
                signal: Some("email_domain".into()),
                rules: Vec::new(),
            },
            by: "@dana".into(),
            via: Via::Slack,
            note: None,
            at,
        }
    }

    fn name(id: &str) -> String {
        if id == "acme" {
            "Acme Corporation".into()
        } else {
            id.into()
        }
    }

    #[test]
    fn the_latest_answer_about_each_person_on_the_page_is_said() {
        let corrections = [
            answer("c2", "wile", Verdict::None, 2),
            answer("c1", "wile", Verdict::Confirm, 1),
            answer("c3", "someone-else", Verdict::Ignore, 3),
        ];
        let said = Answers::said(&corrections, ["Wile", "roadrunner"], name);
        assert_eq!(said.len(), 1);
        assert_eq!(said["wile"].what, "Marked not Acme Corporation");
        assert_eq!(said["wile"].by, "@dana");
    }

    #[test]
    fn notices_say_what_happens_next() {
        let not = answer("c1", "wile", Verdict::None, 1);
        assert_eq!(
            notice(&not, name),
            "Marked not Acme Corporation for wile: the labels and tracking issue are being put right."
        );
        let confirm = answer("c1", "wile", Verdict::Confirm, 1);
        assert!(notice(&confirm, name).starts_with("Confirmed Acme Corporation for wile"));
        let ignore = answer("c1", "wile", Verdict::Ignore, 1);
        assert!(notice(&ignore, name).starts_with("Ignored wile: no more lookups"));
    }

    #[test]
    fn forms_only_with_a_token_and_everything_escaped() {
        let mut answers = Answers {
            back: "/dashboard/accounts/account:acme?days=30&tier=x\"".into(),
            ..Answers::default()
        };
        let acme = About {
            id: "acme",
            name: "<b>Acme</b>",
        };
        assert_eq!(
            answer_form(&answers, "wile", Some(acme), None).into_string(),
            ""
        );
        answers.csrf = Some("f00d".into());
        let html = answer_form(&answers, "\"><x", Some(acme), Some("d-1")).into_string();
        assert!(
            html.contains(r#"action="/dashboard/people/%22%3E%3Cx/correct""#),
            "{html}"
        );
        assert!(html.contains(r#"name="csrf" value="f00d""#));
        assert!(html.contains(r#"name="sighting" value="d-1""#));
        assert!(html.contains("Confirm &lt;b&gt;Acme&lt;/b&gt;"));
        assert!(html.contains("Ignore &quot;&gt;&lt;x"));
        assert!(html.contains("tier=x&quot;"));
        assert!(!html.contains("<b>"));
        let no_account = answer_form(&answers, "wile", None, None).into_string();
        assert!(!no_account.contains("confirm") && no_account.contains("Ignore wile"));
    }
}
