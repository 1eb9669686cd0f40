//! The words the company field is read with: legal forms, generic words
//! after a name, job titles and situations, lead-ins, community programs.
//! Each list is one string of lowercase tokens (as [`super::normalize::tokens`]
//! makes them).

use super::sieve::Sieve;
use foldhash::HashSet;
use std::sync::LazyLock;

/// The words of a list, folded the way text is (`kgaa` → `kga`), with a
/// sieve in front: most words a text is read with are in no list.
struct WordSet {
    sieve: Sieve,
    set: HashSet<String>,
}

impl WordSet {
    fn contains(&self, token: &str) -> bool {
        self.sieve.may_contain(token) && self.set.contains(token)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.set.len()
    }
}

fn set(words: &'static str) -> WordSet {
    let set: HashSet<String> = words
        .split_whitespace()
        .flat_map(super::normalize::tokens)
        .collect();
    let mut sieve = Sieve::default();
    for word in &set {
        sieve.insert(word);
    }
    WordSet { sieve, set }
}

/// A legal form written after a company's name (Inc, LLC, GmbH, S.A., ...).
pub fn is_legal_suffix(token: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| set(LEGAL_SUFFIXES));
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
    static SET: LazyLock<WordSet> = LazyLock::new(|| set(GENERIC_WORDS));
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
    static SET: LazyLock<WordSet> = LazyLock::new(|| set(ROLE_WORDS));
    static INTL: LazyLock<WordSet> = LazyLock::new(|| set(ROLE_WORDS_INTL));
    SET.contains(token) || INTL.contains(token)
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

/// Job titles and words for an employee in the other languages orgradar
/// reads, as people write them (folded when the list is read).
const ROLE_WORDS_INTL: &str = "\
    employee employees staff team member advocate evangelist swe sde sdet pm product platform \
    infrastructure infra technical tech intern internship \
    ingeniero ingeniera desarrollador desarrolladora programador programadora empleado empleada \
    entwickler entwicklerin ingenieur ingenieurin softwareentwickler mitarbeiter mitarbeiterin \
    werkstudent développeur développeuse ingénieure salarié salariée stagiaire \
    engenheiro engenheira desenvolvedor desenvolvedora funcionário funcionária colaborador \
    sviluppatore sviluppatrice ingegnere programmatore dipendente ontwikkelaar programmeur \
    medewerker programista programistka inżynier pracownik разработчик инженер программист \
    сотрудник стажер \
";

/// Words for "at" in the other languages: "Entwickler bei Acme", "Ingeniero
/// en Acme". The short ones (`en`, `na`, `w`, `в`) only after a job title.
pub fn is_at_word(token: &str, before: Option<&str>) -> bool {
    match token {
        "at" | "bei" | "chez" | "presso" | "bij" => true,
        "en" | "em" | "na" | "no" | "w" | "v" | "u" | "pour" | "para" | "fur" | "voor" => {
            before.is_some_and(is_role_word)
        }
        _ => false,
    }
}

/// Words that lead into an organization's name in a company field and are
/// no part of it: "Senior Engineer at", "Co-founder of", "Working for".
pub fn is_lead_in(token: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| set(LEAD_INS));
    SET.contains(token)
}

const LEAD_INS: &str = "\
    at of for with by working work works employed employee joined joining rejoined co \
    cofounder founder owner senior \
    sr junior jr lead principal staff engineer developer dev programmer architect designer \
    scientist researcher analyst manager director vp cto ceo cfo coo maintainer sre devops \
    intern consultant contractor student professor postdoc bei chez presso bij \
";

/// Words that end the name of a kind of organization ("Credit Union",
/// "Hotels", "Hospital", "Partners"): an account's name followed by one of
/// them, or by other name words and then one of them, names another
/// organization ("Target Valley Credit Union").
pub fn is_org_type(token: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| set(ORG_TYPES));
    SET.contains(token)
}

const ORG_TYPES: &str = "\
    bank banks bancorp credit union savings loan loans insurance assurance mutual \
    financial hotel hotels hospitality resort resorts inn motel casino hospital hospitals \
    clinic clinics dental dentistry pharmacy medical healthcare university universitat \
    universite universidad universidade college school schools academy institute church \
    ministries parish diocese partners associates advisors advisers capital realty \
    properties estates homes construction builders roofing plumbing electric electrical \
    motors automotive dealership restaurant restaurants cafe coffee bakery bagels pizza \
    pizzeria grill bar pub brewery winery vineyards farms farm foods market markets \
    supermarket grocery salon spa fitness gym club law lawyers attorneys accounting cpa \
    realtors township county municipality council \
";

/// Words that, after a company's name, make it a community or customer
/// program, a platform skill or a fandom rather than an employer:
/// "Google Developer Expert", "Microsoft MVP", "AWS Community Builder",
/// "Salesforce consultant", "Acme customer".
pub fn is_program_word(token: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| set(PROGRAM_WORDS));
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
            ORG_TYPES,
            ROLE_WORDS_INTL,
        ] {
            let words: Vec<&str> = list.split_whitespace().collect();
            assert_eq!(set(list).len(), words.len(), "a word is listed twice");
            for w in words {
                assert_eq!(tokens(w).len(), 1, "{w}");
            }
        }
    }
}
