//! What the words around a name in a phrase say: an employment cue in a
//! bio ("engineer at", "joined", "CEO of"), a business relation ("partner
//! of"), a job title before it, where the organization's name starts.

use crate::affiliation::names::NameHit;
use crate::affiliation::normalize::tokens;
use crate::affiliation::vocabulary::{
    is_at_word, is_generic_word, is_lead_in, is_legal_suffix, is_role_word,
};

/// "Partner of Salesforce", "a customer of Acme": a word for a business
/// relation, then only articles and prepositions, right before the name.
pub(super) fn program_before(before: &[&str]) -> bool {
    const RELATIONS: &[&str] = &[
        "partner",
        "partners",
        "customer",
        "customers",
        "client",
        "clients",
        "reseller",
        "resellers",
        "user",
        "users",
        "fan",
        "fans",
        "ambassador",
        "ambassadors",
        "champion",
        "champions",
        "supplier",
        "suppliers",
        "vendor",
        "vendors",
    ];
    let k = before
        .iter()
        .rposition(|t| !matches!(*t, "of" | "for" | "to" | "with" | "a" | "an" | "the"));
    k.is_some_and(|k| k + 1 < before.len() && RELATIONS.contains(&before[k]))
}

/// Whether a bio says it employs: "engineer at Globex", "Entwickler bei
/// Globex", "joined Globex", "CEO of Globex", "Globex employee".
/// Whether the words before "at" say what the person does there: a verb
/// of making things, then at most a few words ("Building things at Hooli",
/// "I write Swift at Apple").
fn verb_led(words: &[&str]) -> bool {
    let words = match words {
        ["i" | "im" | "we", rest @ ..] => rest,
        _ => words,
    };
    let Some((verb, rest)) = words.split_first() else {
        return false;
    };
    rest.len() <= 3
        && !rest
            .iter()
            .any(|t| matches!(*t, "about" | "on" | "with" | "to"))
        && matches!(
            *verb,
            "build"
                | "building"
                | "builds"
                | "write"
                | "writing"
                | "writes"
                | "make"
                | "making"
                | "makes"
                | "ship"
                | "shipping"
                | "ships"
                | "develop"
                | "developing"
                | "develops"
                | "hack"
                | "hacking"
                | "hacks"
                | "design"
                | "designing"
                | "designs"
                | "maintain"
                | "maintaining"
                | "maintains"
                | "code"
                | "coding"
                | "codes"
        )
}

pub(super) fn employment_cue(toks: &[&str], hit: &NameHit<'_>) -> bool {
    let before = &toks[..hit.start];
    let prev = |k: usize| k.checked_sub(1).map_or("", |p| before[p]);
    let work = |k: usize| {
        k == 0 || {
            let t = prev(k);
            is_role_word(t)
                || matches!(
                    t,
                    "work" | "works" | "working" | "i" | "im" | "am" | "currently"
                )
        }
    };
    let at = (0..before.len()).rev().find(|&k| match before[k] {
        "joined" | "joining" | "rejoined" => true,
        "for" => matches!(prev(k), "work" | "works" | "working"),
        "of" => matches!(
            prev(k),
            "founder"
                | "cofounder"
                | "ceo"
                | "cto"
                | "cfo"
                | "coo"
                | "owner"
                | "president"
                | "head"
                | "director"
                | "vp"
        ),
        t => {
            is_at_word(t, k.checked_sub(1).map(|p| before[p]))
                && (work(k) || (t == "at" && verb_led(&before[..k])))
        }
    });
    let led_in = at.is_some_and(|k| {
        before[k + 1..]
            .iter()
            .all(|&t| is_lead_in(t) || is_role_word(t) || t == "the")
    });
    let after = toks
        .get(hit.end)
        .is_some_and(|t| matches!(*t, "employee" | "employees" | "staff" | "team"));
    led_in || after
}

/// Whether tokens `start..end` are the whole name in `toks`: nothing but a
/// job title or "at" before, nothing but generic words or legal suffixes
/// after ("Engineer at Cisco", "Cisco Inc", not "Wayne State University").
pub(super) fn stands_alone(toks: &[&str], start: usize, end: usize) -> bool {
    toks[..start]
        .iter()
        .all(|&t| is_lead_in(t) || is_role_word(t) || t == "the")
        && toks[end..]
            .iter()
            .all(|&t| is_generic_word(t) || is_legal_suffix(t))
}

/// Where the organization's name starts in a phrase: after the last "at"
/// (or "bei", "chez", ...), then after any job title ("Senior Engineer at
/// Globex" → `Globex`).
pub(super) fn org_start(toks: &[&str]) -> usize {
    let mut start = (0..toks.len())
        .rev()
        .find(|&k| is_at_word(toks[k], k.checked_sub(1).map(|p| toks[p])))
        .map_or(0, |i| i + 1);
    while start < toks.len() && is_lead_in(toks[start]) {
        start += 1;
    }
    start
}

/// The organization's name as written in `raw`, without the job title.
pub(super) fn org_display(raw: &str) -> String {
    let words: Vec<&str> = raw.split_whitespace().collect();
    let after_at = (0..words.len())
        .rev()
        .find(|&k| {
            let prev = k
                .checked_sub(1)
                .map(|p| tokens(words[p]))
                .unwrap_or_default();
            let t = tokens(words[k]);
            words[k] == "@" || (t.len() == 1 && is_at_word(&t[0], prev.last().map(String::as_str)))
        })
        .map_or(0, |i| i + 1);
    let rest = &words[after_at..];
    let lead = rest
        .iter()
        .take_while(|w| {
            let t = tokens(w);
            !t.is_empty() && t.iter().all(|t| is_lead_in(t))
        })
        .count();
    let name = rest[lead.min(rest.len())..].join(" ");
    if name.is_empty() {
        raw.to_string()
    } else {
        name
    }
}
