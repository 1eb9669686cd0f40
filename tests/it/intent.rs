//! Intent topics against a corpus of realistic titles, bodies and comments
//! (`tests/fixtures/intent_corpus.yaml`), labelled as a product manager
//! would: precision and recall per topic, and at least 95% precision overall.

use orgradar::intent::{Source, Taxonomy};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    title: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    comment: bool,
    topics: BTreeSet<String>,
}

#[derive(Default)]
struct Tally {
    right: u32,
    wrong: u32,
    missed: u32,
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

#[test]
fn corpus_precision_and_recall() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intent_corpus.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let corpus: Corpus =
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let taxonomy = Taxonomy::default();
    let known: BTreeSet<&str> = taxonomy.topics().iter().map(|t| t.id.as_str()).collect();
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    let mut notes = Vec::new();
    for case in &corpus.cases {
        for t in &case.topics {
            assert!(
                known.contains(t.as_str()),
                "unknown topic {t} in {:?}",
                case.title
            );
        }
        let source = if case.comment {
            Source::Comment
        } else {
            Source::Body
        };
        let found = taxonomy.detect(&case.title, case.body.as_deref(), source);
        let got: BTreeSet<String> = found.iter().map(|i| i.topic.clone()).collect();
        for t in got.union(&case.topics) {
            let entry = tally.entry(t.clone()).or_default();
            match (got.contains(t), case.topics.contains(t)) {
                (true, true) => entry.right += 1,
                (true, false) => {
                    entry.wrong += 1;
                    let phrase = found.iter().find(|i| &i.topic == t).map(|i| &i.phrase);
                    notes.push(format!("WRONG {t} ({phrase:?}): {:?}", case.title));
                }
                (false, true) => {
                    entry.missed += 1;
                    notes.push(format!("missed {t}: {:?}", case.title));
                }
                (false, false) => {}
            }
        }
    }
    let mut total = Tally::default();
    println!(
        "{:<12} {:>9} {:>7}  (right/wrong/missed)",
        "topic", "precision", "recall"
    );
    for (topic, t) in &tally {
        println!(
            "{topic:<12} {:>8.1}% {:>6.1}%  ({}/{}/{})",
            100.0 * ratio(t.right, t.right + t.wrong),
            100.0 * ratio(t.right, t.right + t.missed),
            t.right,
            t.wrong,
            t.missed
        );
        total.right += t.right;
        total.wrong += t.wrong;
        total.missed += t.missed;
    }
    let precision = ratio(total.right, total.right + total.wrong);
    let recall = ratio(total.right, total.right + total.missed);
    println!(
        "{:<12} {:>8.1}% {:>6.1}%  ({}/{}/{}) over {} cases",
        "overall",
        100.0 * precision,
        100.0 * recall,
        total.right,
        total.wrong,
        total.missed,
        corpus.cases.len()
    );
    for note in &notes {
        println!("  {note}");
    }
    assert!(corpus.cases.len() >= 300, "{} cases", corpus.cases.len());
    assert!(
        precision >= 0.95,
        "precision {:.3} is under 0.95",
        precision
    );
}
