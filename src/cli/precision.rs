//! `orgradar precision [--days N] [--json]`: how often orgradar named the
//! right account, by the answers people gave on its sightings, over the
//! last 30 and 90 days (or N), from the store at DATABASE_URL.

use anyhow::Result;
use orgradar::config::Env;
use orgradar::people::precision::{DAY, HOW_TO_ANSWER, Precision, Tally, measure};
use orgradar::store;
use orgradar::time::{now_ms, rfc3339};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;

/// The windows shown without `--days`.
const WINDOWS: [u32; 2] = [30, 90];

pub async fn run(env: &Env, days: Option<u32>, json: bool) -> Result<ExitCode> {
    let windows: Vec<u32> = days.map_or_else(|| WINDOWS.to_vec(), |d| vec![d]);
    let now = now_ms();
    let longest = windows.iter().copied().max().unwrap_or(90);
    let store = store::open(&env.database).await?;
    let answers = store.answers_since(now - i64::from(longest) * DAY).await;
    store.close().await;
    let answers = answers?;
    let measured: Vec<Precision> = windows
        .iter()
        .map(|&days| measure(&answers, now, days))
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&to_json(&measured))?);
    } else {
        print!("{}", table(&measured));
    }
    Ok(ExitCode::SUCCESS)
}

/// `{"windows": [{"days": 30, "since": "...", "answers": 4, "overall":
/// {"right", "wrong", "judged", "precision"}, "ignored", "unjudged",
/// "by_signal": {..}, "by_account": {..}, "by_rule": {..}}, ...]}`.
fn to_json(measured: &[Precision]) -> Value {
    let windows: Vec<Value> = measured
        .iter()
        .map(|p| {
            let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
            v["since"] = json!(rfc3339(p.since));
            v
        })
        .collect();
    json!({ "windows": windows })
}

/// `75% (3 of 4)`, or `-` when nothing was judged.
fn ratio(t: &Tally) -> String {
    match t.ratio() {
        Some(r) => format!("{:.0}% ({} of {})", r * 100.0, t.right, t.judged()),
        None => "-".to_string(),
    }
}

/// One breakdown of a window's figures: per signal, account or rule.
type Breakdown = fn(&Precision) -> &BTreeMap<String, Tally>;

/// The figures as a table a person reads: a column per window.
fn table(measured: &[Precision]) -> String {
    if measured.iter().all(Precision::is_empty) {
        let days: Vec<String> = measured.iter().map(|p| p.days.to_string()).collect();
        return format!(
            "No answers yet in the last {} days, so orgradar cannot say how often it was right.\n{HOW_TO_ANSWER}\n",
            days.join(" or ")
        );
    }
    let sections: [(&str, Breakdown); 3] = [
        ("SIGNAL", |p| &p.by_signal),
        ("ACCOUNT", |p| &p.by_account),
        ("RULE", |p| &p.by_rule),
    ];
    let mut rows: Vec<(String, Vec<String>)> = vec![(
        "Overall".to_string(),
        measured.iter().map(|p| ratio(&p.overall)).collect(),
    )];
    for (title, of) in sections {
        let keys: BTreeSet<&String> = measured.iter().flat_map(|p| of(p).keys()).collect();
        rows.push((String::new(), Vec::new()));
        rows.push((title.to_string(), Vec::new()));
        if keys.is_empty() {
            rows.push(("(none judged)".to_string(), Vec::new()));
        }
        for key in keys {
            let cells = measured
                .iter()
                .map(|p| ratio(&of(p).get(key).copied().unwrap_or_default()))
                .collect();
            rows.push((key.clone(), cells));
        }
    }
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0).max(16) + 2;
    let mut out = String::from(
        "How often orgradar named the right account, by the answers people gave\n\
         (a confirmation is right, \"not\" or another account is wrong; each sighting\n\
         counts once, by its latest answer).\n\n",
    );
    out.push_str(&format!("{:<width$}", ""));
    for p in measured {
        out.push_str(&format!("{:<20}", format!("LAST {} DAYS", p.days)));
    }
    out = out.trim_end().to_string();
    out.push('\n');
    for (key, cells) in rows {
        let mut line = format!("{key:<width$}");
        for cell in cells {
            line.push_str(&format!("{cell:<20}"));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    for p in measured {
        out.push_str(&format!(
            "Last {} days: {} answers, {} to leave someone alone, {} about no sighting.\n",
            p.days, p.answers, p.ignored, p.unjudged
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use orgradar::people::{Correction, Sighted, Verdict, Via};

    const NOW: i64 = 1_772_625_600_000;

    fn answer(id: &str, verdict: Verdict, days_ago: i64) -> Correction {
        Correction {
            id: id.into(),
            login: "wile".into(),
            verdict,
            account: (verdict == Verdict::Confirm).then(|| "acme".to_string()),
            sighting: Some(format!("d-{id}")),
            sighted: Sighted {
                account: Some("acme".into()),
                signal: Some("email_domain".into()),
                rules: Vec::new(),
            },
            by: "@dana".into(),
            via: Via::Slack,
            note: None,
            at: NOW - days_ago * DAY,
        }
    }

    #[test]
    fn precision_table_side_by_side() {
        let answers = [
            answer("a", Verdict::Confirm, 1),
            answer("b", Verdict::Confirm, 2),
            answer("c", Verdict::None, 3),
            answer("d", Verdict::None, 45),
            answer("e", Verdict::Ignore, 2),
        ];
        let measured = [measure(&answers, NOW, 30), measure(&answers, NOW, 90)];
        let text = table(&measured);
        let line = |start: &str| {
            text.lines()
                .find(|l| l.starts_with(start))
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(line("Overall"), "Overall 67% (2 of 3) 50% (2 of 4)");
        assert_eq!(
            line("email_domain"),
            "email_domain 67% (2 of 3) 50% (2 of 4)"
        );
        assert_eq!(line("acme"), "acme 67% (2 of 3) 50% (2 of 4)");
        assert!(text.contains("(none judged)"), "no rules: {text}");
        assert!(
            text.contains(
                "Last 30 days: 4 answers, 1 to leave someone alone, 0 about no sighting."
            )
        );
        // The README shows this table, as printed.
        let readme = include_str!("../../README.md");
        let shown: String = text
            .lines()
            .map(|l| format!("    {l}\n").replace("    \n", "\n"))
            .collect();
        assert!(
            readme.contains(&shown),
            "the README's example differs:\n{text}"
        );
    }

    #[test]
    fn precision_without_answers_says_how_to_give_them() {
        let measured = [measure(&[], NOW, 30), measure(&[], NOW, 90)];
        let text = table(&measured);
        assert!(
            text.starts_with("No answers yet in the last 30 or 90 days"),
            "{text}"
        );
        assert!(text.contains("Slack") && text.contains("orgradar people set"));
        let json = to_json(&measured);
        assert_eq!(json["windows"][1]["days"], 90);
        assert_eq!(json["windows"][0]["overall"]["precision"], Value::Null);
        assert!(json["windows"][0]["since"].is_string());
    }
}
