//! Maps keyed by addresses, and texts numbered by address: a fleet's findings share their
//! texts (advisory ids, versions, software items), so the hot loops of scoring and
//! recommending tell them apart by where they live before comparing what they say.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hashes addresses (unique already) with one multiplication and a shift per word, for maps
/// looked up once per finding (SipHash's resistance to chosen keys is not needed for
/// addresses).
#[derive(Default)]
pub(crate) struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, address: usize) {
        // The product's high bits mixed down: a table indexes by the low ones. Folding in the
        // state keeps every word of a composite key (an address and a length).
        let mixed = (self.0 ^ address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = mixed ^ (mixed >> 29);
    }
}

/// The [`std::hash::BuildHasher`] of [`AddressHasher`].
pub(crate) type BuildAddressHasher = BuildHasherDefault<AddressHasher>;

/// Texts numbered so that numbers compare as the texts do: `texts[of[i]]` is the `i`-th text
/// given, `texts` sorted and distinct. Repetitions sharing one allocation are recognised by
/// address (one hash of two words each), so numbering a million findings' advisory ids costs
/// a hash per finding and a sort of the few thousand distinct ones.
pub(crate) struct Numbering<'s> {
    /// The distinct texts, sorted.
    pub(crate) texts: Vec<&'s str>,
    /// Each given text's number (its index in `texts`).
    pub(crate) of: Vec<usize>,
}

impl<'s> Numbering<'s> {
    /// Numbers `texts`.
    pub(crate) fn new(texts: impl Iterator<Item = &'s str>) -> Self {
        let mut seen: HashMap<(usize, usize), usize, BuildAddressHasher> = HashMap::default();
        let mut first: Vec<&'s str> = Vec::new();
        let provisional: Vec<usize> = texts
            .map(|text| {
                *seen
                    .entry((text.as_ptr() as usize, text.len()))
                    .or_insert_with(|| {
                        first.push(text);
                        first.len() - 1
                    })
            })
            .collect();
        let mut order: Vec<usize> = (0..first.len()).collect();
        order.sort_unstable_by_key(|&i| first[i]);
        // Equal texts at different addresses get one number.
        let mut final_of = vec![0_usize; first.len()];
        let mut sorted: Vec<&'s str> = Vec::with_capacity(first.len());
        for &i in &order {
            let text = first[i];
            if sorted.last() != Some(&text) {
                sorted.push(text);
            }
            final_of[i] = sorted.len() - 1;
        }
        Numbering {
            of: provisional.into_iter().map(|p| final_of[p]).collect(),
            texts: sorted,
        }
    }

    /// The number of `text`, if it was given.
    pub(crate) fn find(&self, text: &str) -> Option<usize> {
        self.texts.binary_search(&text).ok()
    }

    /// The texts of `numbers`, sorted and distinct (`numbers` in any order, repeated or not).
    pub(crate) fn distinct(&self, numbers: impl Iterator<Item = usize>) -> Vec<&'s str> {
        let mut numbers: Vec<usize> = numbers.collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers.into_iter().map(|n| self.texts[n]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Numbering;

    #[test]
    fn numbers_follow_the_texts_order_and_merge_equal_texts() {
        let owned = ["b".to_owned(), "a".to_owned(), "b".to_owned()];
        let shared = "c";
        let texts = [
            owned[0].as_str(),
            shared,
            owned[1].as_str(),
            owned[2].as_str(),
            shared,
        ];
        let n = Numbering::new(texts.into_iter());
        assert_eq!(n.texts, ["a", "b", "c"]);
        assert_eq!(n.of, [1, 2, 0, 1, 2]);
        assert_eq!(n.find("c"), Some(2));
        assert_eq!(n.find("d"), None);
        assert_eq!(n.distinct([2, 0, 2].into_iter()), ["a", "c"]);
    }
}
