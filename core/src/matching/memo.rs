//! A matching thread's memo: what it computed once and reuses — the facts the findings of
//! one advisory or one affected entry share, and each distinct software item's matches.
//!
//! Vocabulary: *facts* are what findings share (`Arc`), *matches* are what one item's
//! matching found, a *hit* is one of them before it is put on a device; the *memo* holds them
//! for the life of one matching thread (the knowledge base is borrowed, so immutable, that
//! long).

use super::package::ItemMatches;
use crate::inventory::Software;
use crate::kb::{Advisory, AdvisoryIndex, AffectedPackage, EntryIndex, KnowledgeBase};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// What the findings of one advisory share.
pub(super) struct AdvisoryFacts {
    pub(super) id: Arc<str>,
    pub(super) aliases: Arc<[String]>,
    pub(super) summary: Option<Arc<str>>,
}

/// What the findings of one affected entry share.
pub(super) struct EntryFacts {
    /// The input the entry came from: the record cited as evidence.
    pub(super) source: Arc<str>,
    /// Every version a `fixed` event of the entry names.
    pub(super) fixed_versions: Arc<[String]>,
}

/// An item matched before (the first copy met) and its matches.
type MatchedItem = (Arc<Software>, Arc<ItemMatches>);

/// Distinct items a memo keeps matches for before it starts afresh: matching a stream of
/// fleets reuses what it learned, bounded whatever the fleets hold.
const MAX_ITEMS: usize = 1 << 18;

/// One matching thread's memo.
#[derive(Default)]
pub(super) struct Memo {
    advisories: HashMap<AdvisoryIndex, Arc<AdvisoryFacts>>,
    entries: HashMap<EntryIndex, Arc<EntryFacts>>,
    /// Item matches by the item's address: fleets share equal items (see
    /// [`Fleet::share_software`](crate::inventory::Fleet::share_software)).
    items_by_address: HashMap<usize, Arc<ItemMatches>>,
    /// Item matches by a hash of what matching reads, for items that are not shared.
    items_by_value: HashMap<u64, Vec<MatchedItem>>,
}

impl Memo {
    /// Makes the memo ready for another fleet: item addresses are those of the fleet being
    /// matched (the previous fleet's items may be gone, their addresses reused), and past
    /// [`MAX_ITEMS`] distinct items the matches start afresh.
    pub(super) fn next_fleet(&mut self) {
        self.items_by_address.clear();
        if self.items_by_value.values().map(Vec::len).sum::<usize>() > MAX_ITEMS {
            self.items_by_value.clear();
        }
    }

    /// The facts of an advisory, made the first time this thread meets it.
    pub(super) fn advisory(
        &mut self,
        at: AdvisoryIndex,
        advisory: &Advisory,
    ) -> Arc<AdvisoryFacts> {
        Arc::clone(self.advisories.entry(at).or_insert_with(|| {
            Arc::new(AdvisoryFacts {
                id: advisory.id.as_str().into(),
                aliases: advisory.aliases.clone().into(),
                summary: advisory.summary.as_deref().map(Arc::from),
            })
        }))
    }

    /// The facts of an affected entry, made the first time this thread meets it.
    pub(super) fn entry(&mut self, at: EntryIndex, affected: &AffectedPackage) -> Arc<EntryFacts> {
        Arc::clone(self.entries.entry(at).or_insert_with(|| {
            Arc::new(EntryFacts {
                source: affected.source.as_str().into(),
                fixed_versions: affected
                    .ranges
                    .iter()
                    .flat_map(crate::kb::AffectedRange::fixed_versions)
                    .map(str::to_owned)
                    .collect(),
            })
        }))
    }

    /// The package matches of `software`, computed by `compute` the first time this thread
    /// meets the item (or an equal one).
    pub(super) fn item(
        &mut self,
        kb: &KnowledgeBase,
        software: &Arc<Software>,
        compute: fn(&KnowledgeBase, &Software, &mut Memo) -> ItemMatches,
    ) -> Arc<ItemMatches> {
        let address = Arc::as_ptr(software) as usize;
        if let Some(found) = self.items_by_address.get(&address) {
            return Arc::clone(found);
        }
        // Matching reads the ecosystem, name, version and CPE claim only: items equal in
        // those share their matches (found by a hash of them, then compared).
        let key = {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            software.ecosystem.hash(&mut hasher);
            software.name.hash(&mut hasher);
            software.version.hash(&mut hasher);
            software.cpe.hash(&mut hasher);
            hasher.finish()
        };
        let same = |other: &Software| {
            other.ecosystem == software.ecosystem
                && other.name == software.name
                && other.version == software.version
                && other.cpe == software.cpe
        };
        let known = self
            .items_by_value
            .get(&key)
            .and_then(|list| list.iter().find(|(item, _)| same(item)))
            .map(|(_, matches)| Arc::clone(matches));
        if let Some(found) = known {
            // A copy of an item met before (in this fleet, or in an earlier one of a stream):
            // its address finds it again while this fleet lives.
            self.items_by_address.insert(address, Arc::clone(&found));
            return found;
        }
        let matches = Arc::new(compute(kb, software, self));
        self.items_by_value
            .entry(key)
            .or_default()
            .push((Arc::clone(software), Arc::clone(&matches)));
        self.items_by_address.insert(address, Arc::clone(&matches));
        matches
    }
}
