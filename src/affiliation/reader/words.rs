//! Words the reader looks for around names: articles and company nouns of
//! a parent ("a Salesforce company"), negations and words for an employee
//! ("not an Acme employee").

/// Articles that, with a company noun after a name, make it the parent:
/// "a Salesforce company", "ein Acme-Unternehmen", "une société Acme".
pub const ARTICLES: &[&str] = &["a", "an", "une", "un", "una", "uma", "ein", "eine", "een"];
const PARENT_NOUNS: &[&str] = &[
    "company",
    "subsidiary",
    "business",
    "brand",
    "division",
    "affiliate",
    "unternehmen",
    "tochter",
    "marke",
    "entreprise",
    "societe",
    "filiale",
    "marque",
    "empresa",
    "marca",
    "subsidiaria",
    "societa",
    "azienda",
    "bedrijf",
    "dochter",
    "firma",
    "spolka",
    "kompaniia",
];

/// A negation, then a word for an employee, in one clause: "not an Acme
/// employee", "kein Mitarbeiter von Acme", "не сотрудник".
pub const NEGATIONS: &[&str] = &[
    "not", "non", "never", "nicht", "kein", "keine", "pas", "nao", "niet", "geen", "nie", "ne",
];
pub const EMPLOYEE_WORDS: &[&str] = &[
    "employee",
    "employees",
    "staff",
    "employed",
    "mitarbeiter",
    "mitarbeiterin",
    "angestellter",
    "angestellte",
    "employe",
    "salarie",
    "salariee",
    "empleado",
    "empleada",
    "funcionario",
    "funcionaria",
    "dipendente",
    "medewerker",
    "werknemer",
    "pracownik",
    "pracownikiem",
    "sotrudnik",
    "sotrudnikom",
];

/// "a Salesforce company", "an Alphabet subsidiary": the position of the
/// company noun that ends `run` (an article first, one to four words between).
pub fn parent_noun(run: &[&str]) -> Option<usize> {
    if !ARTICLES.contains(run.first()?) {
        return None;
    }
    let noun = run.len() - 1;
    ((2..6).contains(&noun) && PARENT_NOUNS.contains(&run[noun])).then_some(noun)
}
