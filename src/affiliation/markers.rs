//! The words that say *when* and *how* a text names an organization: past
//! ("ex-", "früher bei", "бывший"), current ("now", "aktuell"), disclaimers
//! ("not affiliated with", "inoffiziell"), parent companies ("part of",
//! "a … company"), and the words of a date range ("2016 – 2020", "seit
//! 2021", "2021 – heute"). Kept as data, per language: each entry is a
//! phrase as people write it, folded into tokens the way the text is.
//! Japanese, Chinese and Korean forms are rewritten into these words before
//! reading (see `cjk.rs`).

use super::normalize::{starts_with, tokens};
use super::sieve::Sieve;
use foldhash::HashMap;
use std::sync::LazyLock;

/// What a marker does to the names around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// What follows is past, until "now", the end of the clause or of a
    /// parenthesis: "ex-", "formerly", "worked at", "left".
    PastBefore,
    /// What came before, in the same clause, is past: "alum", "verlassen".
    PastAfter,
    /// What follows is current: "now", "currently", "aktuell".
    Now,
    /// A statement that the person does not work for what the clause names,
    /// or for anyone the profile names: "not affiliated with", "not an employee".
    NotEmployee,
    /// The clause names a product or project, not an employer: "unofficial".
    Unofficial,
    /// What follows is the parent company: "part of", "a subsidiary of".
    ParentBefore,
}

/// Per language: (language, what the entries do, entries separated by `|`).
const MARKERS: &[(&str, Marker, &str)] = &[
    (
        "en",
        Marker::PastBefore,
        "ex|former|formerly|previously|prev|previous|prior|past|was|were|retired|retired from|earlier|until recently|till recently|used to work|used to be|worked|spent|left|quit|departed|no longer|no longer at|no longer with|moved on from|once at|alumnus of|alumna of|alumni of|ex employee|ex employee of",
    ),
    (
        "en",
        Marker::PastAfter,
        "alum|alumni|alumnus|alumna|alumnae|alums|emeritus|emerita|in the past",
    ),
    (
        "en",
        Marker::Now,
        "now|currently|current|presently|today|nowadays|these days",
    ),
    (
        "en",
        Marker::NotEmployee,
        "not affiliated|unaffiliated|no affiliation|not an employee|not employed|not associated|not endorsed|not speaking for|not a member of staff|not on staff|not working for|not work for|dont work for|do not work for|not paid by|not staff|consulting for|consultant for|consultant to|contracting for|contractor for|freelancing for|freelance for|freelancer for|on contract with|on contract for|clients include|my clients|past clients|clients such as",
    ),
    (
        "en",
        Marker::Unofficial,
        "unofficial|not official|not an official|non official|fan made|fan account|parody",
    ),
    (
        "en",
        Marker::ParentBefore,
        "part of|a part of|subsidiary of|a subsidiary of|division of|a division of|a unit of|unit of|acquired by|owned by|a member of the|brand of|a brand of|an affiliate of|affiliate of|now part of",
    ),
    (
        "de",
        Marker::PastBefore,
        "ehemals|ehemalig|ehemaliger|ehemalige|ehemaligen|ehem|frueher|früher bei|vormals|vormalig|zuvor|war bei|arbeitete bei|arbeitete|habe bei|gearbeitet|nicht mehr bei|nicht mehr|ausgeschieden",
    ),
    (
        "de",
        Marker::PastAfter,
        "verlassen|gearbeitet|ausgeschieden",
    ),
    (
        "de",
        Marker::Now,
        "jetzt|aktuell|derzeit|zurzeit|momentan|heute|inzwischen|mittlerweile|nun",
    ),
    (
        "de",
        Marker::NotEmployee,
        "nicht verbunden|keine verbindung|kein mitarbeiter|keine mitarbeiterin|nicht angestellt|nicht beschaeftigt|nicht verbandelt|nicht zugehoerig",
    ),
    (
        "de",
        Marker::Unofficial,
        "inoffiziell|inoffizielle|inoffizieller|nicht offiziell",
    ),
    (
        "de",
        Marker::ParentBefore,
        "teil von|teil der|teil des|tochter von|tochter der|tochterunternehmen von|tochterunternehmen der|ein unternehmen der|ein unternehmen von|eine marke von|eine marke der|gehoert zu",
    ),
    (
        "fr",
        Marker::PastBefore,
        "ancien|ancienne|anciens|anciennes|anciennement|precedemment|auparavant|autrefois|jadis|ex salarie|ex salariee|ai travaille|travaille chez|etait chez|etais chez|quitte|ne suis plus|plus chez",
    ),
    (
        "fr",
        Marker::Now,
        "actuellement|maintenant|desormais|aujourdhui|a present|en ce moment",
    ),
    (
        "fr",
        Marker::NotEmployee,
        "non affilie|non affiliee|pas affilie|pas affiliee|aucune affiliation|pas employe|pas employee|pas salarie|pas salariee|aucun lien",
    ),
    (
        "fr",
        Marker::Unofficial,
        "non officiel|non officielle|officieux|officieuse",
    ),
    (
        "fr",
        Marker::ParentBefore,
        "filiale de|une filiale de|filiale du|partie de|fait partie de|une societe du groupe|une marque de|membre du groupe|du groupe",
    ),
    (
        "es",
        Marker::PastBefore,
        "antes en|antes|anteriormente|previamente|antiguamente|trabaje en|trabajaba en|trabajo en el pasado|estuve en|deje|ya no|ya no en|ex empleado|ex empleada",
    ),
    (
        "es",
        Marker::Now,
        "actualmente|ahora|hoy|hoy en dia|en la actualidad",
    ),
    (
        "es",
        Marker::NotEmployee,
        "no afiliado|no afiliada|sin afiliacion|no soy empleado|no soy empleada|no trabajo para|no trabajo en",
    ),
    ("es", Marker::Unofficial, "no oficial|extraoficial"),
    (
        "es",
        Marker::ParentBefore,
        "filial de|parte de|una empresa de|una empresa del grupo|del grupo",
    ),
    (
        "pt",
        Marker::PastBefore,
        "antigamente|anteriormente|trabalhei na|trabalhei no|trabalhei em|trabalhava na|trabalhava no|trabalhava em|trabalhei|trabalhava|ex funcionario|ex funcionaria|ex colaborador|ex colaboradora|sai da|sai do|nao trabalho mais|ja nao",
    ),
    ("pt", Marker::Now, "atualmente|agora|hoje|no momento"),
    (
        "pt",
        Marker::NotEmployee,
        "nao afiliado|nao afiliada|sem afiliacao|nao sou funcionario|nao sou funcionaria|nao trabalho na|nao trabalho no|nao trabalho para",
    ),
    ("pt", Marker::Unofficial, "nao oficial|extraoficial"),
    (
        "pt",
        Marker::ParentBefore,
        "subsidiaria da|subsidiaria de|parte do|parte da|uma empresa do grupo|uma empresa da|uma empresa do|do grupo",
    ),
    (
        "it",
        Marker::PastBefore,
        "gia|precedentemente|in precedenza|prima in|prima presso|prima da|prima alla|prima al|ho lavorato|lavoravo|ex dipendente|ho lasciato|non lavoro piu|non piu",
    ),
    ("it", Marker::Now, "ora|adesso|attualmente|oggi"),
    (
        "it",
        Marker::NotEmployee,
        "non affiliato|non affiliata|nessuna affiliazione|non sono dipendente|non dipendente",
    ),
    ("it", Marker::Unofficial, "non ufficiale|ufficioso"),
    (
        "it",
        Marker::ParentBefore,
        "parte di|parte del|una societa del gruppo|controllata da|del gruppo",
    ),
    (
        "nl",
        Marker::PastBefore,
        "voormalig|voormalige|vroeger|eerder|voorheen|werkte bij|was bij|oud|niet meer bij|vertrokken bij",
    ),
    ("nl", Marker::PastAfter, "vertrokken"),
    ("nl", Marker::Now, "nu|momenteel|tegenwoordig|thans|heden"),
    (
        "nl",
        Marker::NotEmployee,
        "niet verbonden|geen medewerker|niet in dienst|geen werknemer",
    ),
    (
        "nl",
        Marker::Unofficial,
        "onofficieel|onofficiele|niet officieel",
    ),
    (
        "nl",
        Marker::ParentBefore,
        "onderdeel van|dochter van|dochteronderneming van",
    ),
    (
        "pl",
        Marker::PastBefore,
        "byly|byla|byle|byli|dawniej|wczesniej|poprzednio|uprzednio|pracowalem w|pracowalam w|pracowalem|pracowalam|pracowal|pracowala|juz nie|odszedlem z|odeszlam z",
    ),
    ("pl", Marker::Now, "obecnie|teraz|aktualnie|dzis|obecny"),
    (
        "pl",
        Marker::NotEmployee,
        "nie jestem pracownikiem|niezwiazany z|niezwiazana z|nie jestem zwiazany|nie jestem zwiazana|nie pracuje dla|nie pracuje w",
    ),
    (
        "pl",
        Marker::Unofficial,
        "nieoficjalny|nieoficjalna|nieoficjalne",
    ),
    ("pl", Marker::ParentBefore, "czesc|spolka zalezna|nalezy do"),
    (
        "ru",
        Marker::PastBefore,
        "бывший|бывшая|бывшее|бывшие|бывш|экс|ранее|раньше|прежде|в прошлом|работал|работала|работали|трудился|трудилась|ушел из|ушла из|уволился из|уволилась из|больше не",
    ),
    (
        "ru",
        Marker::Now,
        "сейчас|теперь|ныне|в настоящее время|сегодня|текущее",
    ),
    (
        "ru",
        Marker::NotEmployee,
        "не связан|не связана|не являюсь сотрудником|не сотрудник|не работаю в|не аффилирован|не аффилирована",
    ),
    (
        "ru",
        Marker::Unofficial,
        "неофициальный|неофициальная|неофициальное|неофициальные",
    ),
    (
        "ru",
        Marker::ParentBefore,
        "часть|входит в|дочерняя компания|дочка",
    ),
];

/// Words of a date range, in any of the languages above (after the
/// rewriting of Japanese, Chinese and Korean).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateWord {
    /// Between two years: "to", "bis", "à", "hasta", "–" (dropped by folding).
    To,
    /// Before (or, in Japanese and Korean, after) a year: "until", "bis".
    Until,
    /// Before (or after) a year: "since", "seit", "depuis", "desde".
    Since,
    /// A range's start: "from", "von", "de", "od".
    From,
    /// The open end of a range: "present", "heute", "aujourd'hui".
    Present,
    /// A month, written out or short: "Jan", "März", "juin".
    Month,
}

const DATE_WORDS: &[(DateWord, &str)] = &[
    (
        DateWord::To,
        "to|through|thru|bis|a|au|al|hasta|ate|tot|do|до|по|and",
    ),
    (
        DateWord::Until,
        "until|till|til|untill|upto|up to|bis|jusquen|jusqua|jusqu a|hasta|ate|fino al|fino a|fino|tot|do|до|по",
    ),
    (
        DateWord::Since,
        "since|seit|depuis|desde|dal|dai|sinds|od|с|со",
    ),
    (DateWord::From, "from|von|de|du|dal|van|od|с|от"),
    (
        DateWord::Present,
        "present|now|today|current|date|ongoing|heute|jetzt|aktuell|present|aujourdhui|maintenant|presente|actualidad|hoy|actual|atual|hoje|atualmente|oggi|attuale|heden|nu|obecnie|teraz|nv|настоящее время|наст вр|сейчас",
    ),
    (
        DateWord::Month,
        "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december|januar|februar|marz|juni|juli|oktober|dezember|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|marco|maio|junho|julho|setembro|outubro|novembro|dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|augustus|styczen|luty|marzec|kwiecien|maj|czerwiec|lipiec|sierpien|wrzesien|pazdziernik|listopad|grudzien",
    ),
];

/// A multi-token entry and what it is.
struct Entry<K> {
    tokens: Box<[String]>,
    kind: K,
}

/// Entries by first token, longest first; the sieve turns most words
/// away before the map is asked.
struct Table<K>(HashMap<String, Vec<Entry<K>>>, Sieve);

impl<K: Copy> Table<K> {
    fn build(lists: impl Iterator<Item = (K, &'static str)>) -> Self {
        let mut map: HashMap<String, Vec<Entry<K>>> = HashMap::default();
        for (kind, list) in lists {
            for phrase in list.split('|') {
                let toks = tokens(phrase);
                let Some(first) = toks.first() else { continue };
                map.entry(first.clone()).or_default().push(Entry {
                    tokens: toks.into(),
                    kind,
                });
            }
        }
        let mut sieve = Sieve::default();
        for (first, entries) in map.iter_mut() {
            entries.sort_by_key(|e| std::cmp::Reverse(e.tokens.len()));
            sieve.insert(first);
        }
        Self(map, sieve)
    }

    /// The longest entry starting at `text[at]`, and its length in tokens.
    fn at<T: AsRef<str>>(&self, text: &[T], at: usize) -> Option<(K, usize)> {
        let first = text[at].as_ref();
        if !self.1.may_contain(first) {
            return None;
        }
        self.0
            .get(first)?
            .iter()
            .find(|e| starts_with(&text[at..], &e.tokens))
            .map(|e| (e.kind, e.tokens.len()))
    }
}

static MARKER_TABLE: LazyLock<Table<Marker>> =
    LazyLock::new(|| Table::build(MARKERS.iter().map(|(_, kind, list)| (*kind, *list))));

static DATE_TABLE: LazyLock<Table<DateWord>> =
    LazyLock::new(|| Table::build(DATE_WORDS.iter().map(|(kind, list)| (*kind, *list))));

/// The marker starting at `text[at]` (the longest), and how many tokens it spans.
pub fn marker_at<T: AsRef<str>>(text: &[T], at: usize) -> Option<(Marker, usize)> {
    MARKER_TABLE.at(text, at)
}

/// The date word starting at `text[at]`, and how many tokens it spans.
pub fn date_word_at<T: AsRef<str>>(text: &[T], at: usize) -> Option<(DateWord, usize)> {
    DATE_TABLE.at(text, at)
}

/// A year as people write it in a range: 1950 to 2099.
pub fn year(token: &str) -> bool {
    token.len() == 4
        && token.bytes().all(|b| b.is_ascii_digit())
        && matches!(&token[..2], "19" | "20")
        && token >= "1950"
}

/// A two-digit year after a full one: "2016–20".
pub fn short_year(token: &str) -> bool {
    token.len() == 2 && token.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_phrase_means_two_things() {
        let mut seen: HashMap<Vec<String>, Marker> = HashMap::default();
        for (lang, kind, list) in MARKERS {
            for phrase in list.split('|') {
                let toks = tokens(phrase);
                assert!(!toks.is_empty(), "{lang}: empty entry in {list}");
                // "gearbeitet" is past after a name as well as before it.
                if let Some(other) = seen.insert(toks.clone(), *kind) {
                    let both_past = matches!(other, Marker::PastBefore | Marker::PastAfter)
                        && matches!(kind, Marker::PastBefore | Marker::PastAfter);
                    assert!(
                        other == *kind || both_past,
                        "{lang}: `{phrase}` is {kind:?} and {other:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_language_has_past_current_and_disclaimer_words() {
        for lang in ["en", "de", "fr", "es", "pt", "it", "nl", "pl", "ru"] {
            for kind in [Marker::PastBefore, Marker::Now, Marker::NotEmployee] {
                assert!(
                    MARKERS.iter().any(|(l, k, _)| *l == lang && *k == kind),
                    "{lang} has no {kind:?}"
                );
            }
        }
    }

    #[test]
    fn markers_are_found_as_people_write_them() {
        let find = |text: &str| marker_at(&tokens(text), 0);
        assert_eq!(find("Ex-Google"), Some((Marker::PastBefore, 1)));
        assert_eq!(find("früher bei Acme"), Some((Marker::PastBefore, 2)));
        assert_eq!(find("FRUEHER BEI Acme"), Some((Marker::PastBefore, 2)));
        assert_eq!(find("бывший инженер"), Some((Marker::PastBefore, 1)));
        assert_eq!(find("anciennement"), Some((Marker::PastBefore, 1)));
        assert_eq!(find("Not affiliated with"), Some((Marker::NotEmployee, 2)));
        assert_eq!(find("part of Acme"), Some((Marker::ParentBefore, 2)));
        assert_eq!(find("Acme"), None);
        assert!(year("2016") && !year("1066") && !year("20160"));
        assert_eq!(
            date_word_at(&tokens("jusqu'en 2021"), 0),
            Some((DateWord::Until, 1))
        );
    }
}
