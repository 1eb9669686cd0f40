use super::*;

/// Parts as `now:` / `was:` (and `parent:`) and what they name.
fn read_out(text: &str) -> Vec<String> {
    read_mode(text, Mode::Company)
}

fn read_mode(text: &str, mode: Mode) -> Vec<String> {
    let mut buf = String::new();
    read(text, mode, &mut buf)
        .parts
        .into_iter()
        .map(|p| {
            let tense = match (p.past, p.parent) {
                (true, _) => "was:",
                (false, true) => "parent:",
                (false, false) => "now:",
            };
            match p.what {
                What::Mention(login) => format!("{tense}@{login}"),
                What::Url(host) => format!("{tense}<{host}>"),
                What::Phrase { raw, .. } => format!("{tense}{raw}"),
            }
        })
        .collect()
}

#[test]
fn mentions_urls_and_names() {
    assert_eq!(read_out("@foo @bar"), ["now:@foo", "now:@bar"]);
    assert_eq!(read_out("@foo/@bar"), ["now:@foo", "now:@bar"]);
    assert_eq!(read_out("@acme's"), ["now:@acme"]);
    assert_eq!(read_out("@acme."), ["now:@acme"]);
    assert_eq!(read_out("Acme Corp, Inc."), ["now:Acme Corp", "now:Inc"]);
    assert_eq!(
        read_out("https://acme.com/about"),
        ["now:<https://acme.com/about>"]
    );
    assert_eq!(read_out("https://github.com/acme"), ["now:@acme"]);
    assert_eq!(read_out("@acme.io"), ["now:<acme.io>"]);
    assert_eq!(read_out("Acme/Globex"), ["now:Acme", "now:Globex"]);
    assert_eq!(read_out("Node.js"), ["now:Node.js"]);
    assert_eq!(
        read_out("Globex's platform team"),
        ["now:Globex platform team"]
    );
    assert_eq!(read_out("＠ａｃｍｅ"), ["now:@acme"]);
}

#[test]
fn past_employers_are_marked() {
    assert_eq!(
        read_out("@globex, previously @acme"),
        ["now:@globex", "was:@acme"]
    );
    assert_eq!(read_out("ex-Google"), ["was:ex-Google"]);
    assert_eq!(read_out("Ex Google, now Acme"), ["was:Google", "now:Acme"]);
    assert_eq!(
        read_out("Formerly: Acme, Initech"),
        ["was:Acme", "was:Initech"]
    );
    assert_eq!(read_out("Globex (prev. Acme)"), ["now:Globex", "was:Acme"]);
    assert_eq!(
        read_out("Globex | ex-Acme | Initech"),
        ["now:Globex", "was:ex-Acme", "now:Initech"]
    );
    assert_eq!(read_out("Acme alum"), ["was:Acme"]);
    assert_eq!(read_out("Acme, Inc. alum"), ["was:Acme", "was:Inc"]);
    assert_eq!(
        read_out("@acme alum, @globex"),
        ["was:@acme", "now:@globex"]
    );
    assert_eq!(read_out("Acme -> Globex"), ["was:Acme", "now:Globex"]);
    assert_eq!(
        read_out("Globex previously Acme"),
        ["now:Globex", "was:Acme"]
    );
}

#[test]
fn past_in_other_languages() {
    assert_eq!(read_out("früher bei Acme"), ["was:Acme"]);
    assert_eq!(read_out("anciennement Acme"), ["was:Acme"]);
    assert_eq!(
        read_out("antes en Acme, ahora Globex"),
        ["was:Acme", "now:Globex"]
    );
    assert_eq!(read_out("ex-funcionário da Acme"), ["was:da Acme"]);
    assert_eq!(read_out("voormalig Acme"), ["was:Acme"]);
    assert_eq!(read_out("бывший Acme"), ["was:Acme"]);
    assert_eq!(read_out("元Google"), ["was:Google"]);
    assert_eq!(read_out("曾就职于Acme"), ["was:at Acme"]);
    assert_eq!(read_out("전 Google 엔지니어"), ["was:Google 엔지니어"]);
    assert_eq!(read_out("Google出身"), ["was:Google"]);
}

#[test]
fn date_ranges() {
    assert_eq!(read_out("Globex (2016–2020)"), ["was:Globex"]);
    assert_eq!(read_out("Acme 2019-2022"), ["was:Acme"]);
    assert_eq!(read_out("Acme 2019 - 2022"), ["was:Acme"]);
    assert_eq!(read_out("Acme, until 2021"), ["was:Acme"]);
    assert_eq!(read_out("Acme till 2023"), ["was:Acme"]);
    assert_eq!(read_out("Acme (Jan 2019 – Mar 2022)"), ["was:Acme"]);
    assert_eq!(read_out("Acme 2016-20"), ["was:Acme"]);
    assert_eq!(read_out("Acme bis 2021"), ["was:Acme"]);
    assert_eq!(read_out("Acme 2021年まで"), ["was:Acme"]);
    assert_eq!(read_out("Acme, 2021–present"), ["now:Acme"]);
    assert_eq!(read_out("Acme since 2020"), ["now:Acme"]);
    assert_eq!(read_out("seit 2020 bei Acme"), ["now:bei Acme"]);
    assert_eq!(
        read_out("2016-2020 Acme, 2020-present Globex"),
        ["was:Acme", "now:Globex"]
    );
    assert_eq!(read_out("Acme 2019"), ["now:Acme"]);
    assert_eq!(read_out("Acme ’16–’20"), ["was:Acme"]);
    assert_eq!(read_out("Acme (2016–2020, 2022–present)"), ["now:Acme"]);
    assert_eq!(read_out("Acme (former)"), ["was:Acme"]);
    assert_eq!(
        read_out("Globex, Acme until recently"),
        ["now:Globex", "was:Acme"]
    );
    assert_eq!(
        read_out("Alumni: Acme, Initech"),
        ["was:Acme", "was:Initech"]
    );
    assert_eq!(read_out("Area 51"), ["now:Area 51"]);
    assert_eq!(
        read_mode("Left Acme in 2022 and now freelance.", Mode::Bio),
        ["was:Acme in", "was:and", "now:freelance"]
    );
    let mut buf = String::new();
    let open = read("Acme, 2021–present", Mode::Company, &mut buf);
    assert!(open.parts[0].now);
}

#[test]
fn parents_and_disclaimers() {
    assert_eq!(
        read_out("MuleSoft, a Salesforce company"),
        ["now:MuleSoft", "parent:Salesforce"]
    );
    assert_eq!(
        read_out("Slack (part of Salesforce)"),
        ["now:Slack", "parent:Salesforce"]
    );
    assert_eq!(
        read_out("A lifestyle company in Cupertino"),
        ["now:A lifestyle company in Cupertino"]
    );
    let mut buf = String::new();
    let r = read(
        "Community contributor, not an employee.",
        Mode::Bio,
        &mut buf,
    );
    assert!(r.clauses[0].not_employee);
    let r = read("Hobbyist. Not an Acme employee.", Mode::Bio, &mut buf);
    assert!(!r.clauses[0].not_employee && r.clauses[1].not_employee);
    let r = read(
        "Engineer at Globex. Unofficial Acme SDK.",
        Mode::Bio,
        &mut buf,
    );
    assert_eq!(r.clauses.len(), 2);
    assert!(!r.clauses[0].unofficial && r.clauses[1].unofficial);
    assert_eq!(r.parts[1].clause, 1);
    assert_eq!(r.clauses[1].text, "Unofficial Acme SDK.");
}

#[test]
fn a_bio_is_read_sentence_by_sentence() {
    assert_eq!(
        read_mode("Worked at Acme. Now at Globex Inc. since 2020!", Mode::Bio),
        ["was:at Acme", "now:at Globex Inc"]
    );
    let mut buf = String::new();
    let r = read("Working on X @globex", Mode::Bio, &mut buf);
    assert_eq!(r.parts[1].prev, Some("x"));
}
