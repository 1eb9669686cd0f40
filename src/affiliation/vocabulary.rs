//! The words the company field is read with: legal forms, generic words
//! after a name, job titles and situations, lead-ins, community programs.
//! Each list is one string of lowercase tokens (as [`super::normalize::tokens`]
//! makes them).

use foldhash::HashSet;
use std::sync::LazyLock;

fn set(words: &'static str) -> HashSet<&'static str> {
    words.split_whitespace().collect()
}

/// A legal form written after a company's name (Inc, LLC, GmbH, S.A., ...).
pub fn is_legal_suffix(token: &str) -> bool {
    static SET: LazyLock<HashSet<&str>> = LazyLock::new(|| set(LEGAL_SUFFIXES));
    SET.contains(token)
}

const LEGAL_SUFFIXES: &str = "\
    inc incorporated llc lc ltd ltda limited gmbh mbh ag kg kgaa ohg ug ev sa sas sasu sarl \
    srl spa sl slu cv corp corporation co company plc bv nv vof oy oyj ab as asa aps kk gk pty \
    pte pvt lp llp lllp pc se sro kft zrt doo ooo pjsc jsc bhd sdn tbk \
";

/// Words a company adds after its distinctive name ("Cisco Systems",
/// "Acme Technologies"): a name is also found without them.
pub fn is_generic_word(token: &str) -> bool {
    static SET: LazyLock<HashSet<&str>> = LazyLock::new(|| set(GENERIC_WORDS));
    SET.contains(token)
}

const GENERIC_WORDS: &str = "\
    systems technologies technology tech software labs laboratories group holdings holding \
    international intl solutions services networks industries global enterprises worldwide \
    computing platforms interactive studios partners ventures consulting \
";

/// Words that describe a person's job or situation, not an organization:
/// a company field made only of these names no employer ("Freelance",
/// "Senior Software Engineer", "PhD student").
pub fn is_role_word(token: &str) -> bool {
    static SET: LazyLock<HashSet<&str>> = LazyLock::new(|| set(ROLE_WORDS));
    SET.contains(token)
}

const ROLE_WORDS: &str = "\
    freelance freelancer freelancing self employed selfemployed independent indie solo \
    solopreneur contractor contracting consultant student students phd grad graduate undergrad \
    undergraduate intern software hardware senior sr junior jr lead principal staff chief head \
    engineer engineering developer dev programmer coder hacker architect designer scientist \
    researcher analyst manager director vp cto ceo cfo coo founder cofounder owner maintainer \
    contributor sre devops fullstack frontend backend full stack front back end web mobile \
    data ml ai security professor prof lecturer teacher postdoc retired unemployed hobbyist \
    enthusiast open source opensource oss personal private individual none nothing nope null \
    nil n a na me myself home available hire for at and of in my own the looking work job \
    seeking opportunities to unknown anonymous secret sabbatical between jobs not applicable \
";

/// Words that lead into an organization's name in a company field and are
/// no part of it: "Senior Engineer at", "Co-founder of", "Working for".
pub fn is_lead_in(token: &str) -> bool {
    static SET: LazyLock<HashSet<&str>> = LazyLock::new(|| set(LEAD_INS));
    SET.contains(token)
}

const LEAD_INS: &str = "\
    at of for with by working work works employed employee co cofounder founder owner senior \
    sr junior jr lead principal staff engineer developer dev programmer architect designer \
    scientist researcher analyst manager director vp cto ceo cfo coo maintainer sre devops \
    intern consultant contractor student professor postdoc \
";

/// Words that, after a company's name, make it a community or customer
/// program, a platform skill or a fandom rather than an employer:
/// "Google Developer Expert", "Microsoft MVP", "AWS Community Builder",
/// "Salesforce consultant", "Acme customer".
pub fn is_program_word(token: &str) -> bool {
    static SET: LazyLock<HashSet<&str>> = LazyLock::new(|| set(PROGRAM_WORDS));
    SET.contains(token)
}

const PROGRAM_WORDS: &str = "\
    expert experts gde mvp mvps hero heroes ambassador ambassadors champion champions \
    certified certification partner partners reseller fan fans lover enthusiast community \
    builder star stars summer gsoc user users customer client meetup developer developers \
    consultant specialist admin administrator trainer instructor \
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affiliation::normalize::tokens;

    #[test]
    fn every_word_is_one_normalized_token_listed_once() {
        for list in [
            LEGAL_SUFFIXES,
            GENERIC_WORDS,
            ROLE_WORDS,
            LEAD_INS,
            PROGRAM_WORDS,
        ] {
            let words: Vec<&str> = list.split_whitespace().collect();
            assert_eq!(set(list).len(), words.len(), "a word is listed twice");
            for w in words {
                assert_eq!(tokens(w), [w], "{w}");
            }
        }
    }
}
