//! Which phrases a word of the text may start, found with one table read
//! and at most one hash lookup: the word as written is looked up, its
//! singular forms were expanded when the taxonomy was compiled (`slas` is
//! listed under `sla`'s phrases, marked plural).

use foldhash::{HashMap, HashSet};

/// A phrase a word may start.
#[derive(Debug, Clone, Copy)]
pub struct Start {
    pub phrase: usize,
    /// The word is the phrase's first word in the plural (`slas`).
    pub plural: bool,
    /// The word is the whole phrase written as one word (`soc2`).
    pub joined: bool,
}

/// Words as written → the phrases they may start.
#[derive(Debug, Default)]
pub struct Starts {
    by_word: HashMap<String, Vec<Start>>,
    /// A quick "no" for most words, before any hashing of the whole word:
    /// one bit per [`gate_bit`] (first two bytes, last byte and length), set
    /// for the words listed. About one word of prose in ten gets past it.
    gate: Vec<u64>,
}

/// Bits of [`Starts::gate`] (8 KB, so that it stays in the L1 cache).
const GATE_BITS: usize = 1 << 16;

/// Which bit of the gate `word` reads: a multiplicative hash of its first
/// two bytes, last byte and length.
fn gate_bit(word: &str) -> usize {
    let b = word.as_bytes();
    let byte = |i: usize| b.get(i).copied().map_or(0, u64::from);
    let last = b.last().copied().map_or(0, u64::from);
    let key = byte(0) | byte(1) << 8 | last << 16 | (b.len() as u64) << 24;
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - GATE_BITS.trailing_zeros())) as usize
}

impl Starts {
    /// From phrases by first word (`first`) and by the phrase written as one
    /// word (`joined`): every word whose singular forms ([`singulars`]) are
    /// keys of either, with their phrases in the order of those forms.
    pub fn new(
        first: &HashMap<String, Vec<usize>>,
        joined: &HashMap<String, Vec<usize>>,
    ) -> Starts {
        let mut words: HashSet<String> = HashSet::default();
        for key in first.keys().chain(joined.keys()) {
            words.insert(key.clone());
            words.insert(format!("{key}s"));
            words.insert(format!("{key}es"));
        }
        let mut starts = Starts {
            by_word: HashMap::default(),
            gate: vec![0; GATE_BITS / 64],
        };
        for word in words {
            let mut list = Vec::new();
            for (key, plural) in singulars(&word) {
                for &phrase in first.get(key).into_iter().flatten() {
                    list.push(Start {
                        phrase,
                        plural,
                        joined: false,
                    });
                }
                for &phrase in joined.get(key).into_iter().flatten() {
                    list.push(Start {
                        phrase,
                        plural,
                        joined: true,
                    });
                }
            }
            if !list.is_empty() {
                let bit = gate_bit(&word);
                starts.gate[bit / 64] |= 1 << (bit % 64);
                starts.by_word.insert(word, list);
            }
        }
        starts
    }

    /// The phrases `word` may start, in the order they are considered.
    pub fn of(&self, word: &str) -> &[Start] {
        let bit = gate_bit(word);
        if self.gate[bit / 64] & (1 << (bit % 64)) == 0 {
            return &[];
        }
        self.by_word.get(word).map_or(&[], Vec::as_slice)
    }
}

/// `text`, then its singular forms if it looks plural (`slas` → `sla`,
/// `approaches` → `approach`), each with whether it was cut.
pub fn singulars(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let s = text
        .strip_suffix('s')
        .filter(|s| s.len() >= 2 && !s.ends_with('s'));
    let es = text.strip_suffix("es").filter(|s| s.len() >= 3);
    std::iter::once((text, false))
        .chain(s.map(|s| (s, true)))
        .chain(es.map(|s| (s, true)))
}
