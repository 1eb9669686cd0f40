//! A quick "certainly not" before a hash lookup in a fixed word list.
//!
//! The reader looks every word of a text up in several lists (markers,
//! date words, job titles, legal forms); nearly every lookup misses, and a
//! miss still costs hashing the word and probing the table. The sieve keeps
//! one bit per (length, first byte, last byte) of the listed words, hashed
//! into 4096 bits: a word whose bit is clear is in no list entry, and the
//! lookup is skipped. A set bit proves nothing, so the table decides.

/// 4096 bits, one per slot.
#[derive(Clone)]
pub struct Sieve([u64; 64]);

impl Default for Sieve {
    fn default() -> Self {
        Sieve([0; 64])
    }
}

impl Sieve {
    fn slot(word: &str) -> usize {
        let b = word.as_bytes();
        let first = u32::from(b.first().copied().unwrap_or(0));
        let last = u32::from(b.last().copied().unwrap_or(0));
        let h = (b.len() as u32).wrapping_mul(0x9E37_79B9)
            ^ first.wrapping_mul(0x85EB_CA6B)
            ^ last.wrapping_mul(0xC2B2_AE35);
        (h.wrapping_mul(0x2732_2B2D) >> 20) as usize
    }

    pub fn insert(&mut self, word: &str) {
        let s = Self::slot(word);
        self.0[s / 64] |= 1 << (s % 64);
    }

    /// False when `word` was certainly never inserted.
    pub fn may_contain(&self, word: &str) -> bool {
        let s = Self::slot(word);
        self.0[s / 64] & (1 << (s % 64)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserted_words_always_pass_and_most_others_do_not() {
        let mut sieve = Sieve::default();
        let words = ["ex", "former", "formerly", "until", "2021", "", "не"];
        for w in words {
            sieve.insert(w);
        }
        assert!(words.iter().all(|w| sieve.may_contain(w)));
        let others = ["platform", "engineer", "acme", "globex", "initrode", "sdk"];
        assert!(others.iter().filter(|w| sieve.may_contain(w)).count() <= 1);
    }
}
