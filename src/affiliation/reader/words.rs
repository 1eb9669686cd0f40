//! Words the reader looks for around names: articles and company nouns of
//! a parent ("a Salesforce company"), negations and words for an employee
//! ("not an Acme employee").
//!
//! They are tested against every word of a text, so they are written as
//! `matches!` patterns: the compiler turns them into a switch on the length
//! and a few inline comparisons, where a list would compare (and call
//! `memcmp`) once per entry of the same length.

/// Articles that, with a company noun after a name, make it the parent:
/// "a Salesforce company", "ein Acme-Unternehmen", "une société Acme".
pub fn is_article(t: &str) -> bool {
    matches!(
        t,
        "a" | "an" | "une" | "un" | "una" | "uma" | "ein" | "eine" | "een"
    )
}

fn is_parent_noun(t: &str) -> bool {
    matches!(
        t,
        "company"
            | "subsidiary"
            | "business"
            | "brand"
            | "division"
            | "affiliate"
            | "unternehmen"
            | "tochter"
            | "marke"
            | "entreprise"
            | "societe"
            | "filiale"
            | "marque"
            | "empresa"
            | "marca"
            | "subsidiaria"
            | "societa"
            | "azienda"
            | "bedrijf"
            | "dochter"
            | "firma"
            | "spolka"
            | "kompaniia"
    )
}

/// A negation, then a word for an employee, in one clause: "not an Acme
/// employee", "kein Mitarbeiter von Acme", "не сотрудник".
pub fn is_negation(t: &str) -> bool {
    matches!(
        t,
        "not"
            | "non"
            | "never"
            | "nicht"
            | "kein"
            | "keine"
            | "pas"
            | "nao"
            | "niet"
            | "geen"
            | "nie"
            | "ne"
    )
}

pub fn is_employee_word(t: &str) -> bool {
    matches!(
        t,
        "employee"
            | "employees"
            | "staff"
            | "employed"
            | "mitarbeiter"
            | "mitarbeiterin"
            | "angestellter"
            | "angestellte"
            | "employe"
            | "salarie"
            | "salariee"
            | "empleado"
            | "empleada"
            | "funcionario"
            | "funcionaria"
            | "dipendente"
            | "medewerker"
            | "werknemer"
            | "pracownik"
            | "pracownikiem"
            | "sotrudnik"
            | "sotrudnikom"
    )
}

/// "a Salesforce company", "an Alphabet subsidiary": the position of the
/// company noun that ends `run` (an article first, one to four words between).
pub fn parent_noun(run: &[&str]) -> Option<usize> {
    if !is_article(run.first()?) {
        return None;
    }
    let noun = run.len() - 1;
    ((2..6).contains(&noun) && is_parent_noun(run[noun])).then_some(noun)
}
