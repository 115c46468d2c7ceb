//! Patching a knowledge base in place: the advisories of some clusters replaced by those of a
//! replacement knowledge base, every advisory placed where the caller says.
//!
//! Merging by id and alias is order dependent, but only within a *cluster*: the advisories
//! and records linked by a shared id or alias. A record's merge looks up only its own ids,
//! which only its cluster carries, so the advisories of one cluster depend on nothing but the
//! cluster's records and their order. A caller that knows which records changed can therefore
//! load every record of the affected clusters again, in the order a full build loads them,
//! into a fresh knowledge base, and swap the clusters' advisories for that one's: the result
//! is the full build's, provided the advisories are placed in the full build's order (each
//! advisory where the record that created it comes in the load order). The caller knows that
//! order; this module checks what it can (the clusters replaced are closed, every advisory is
//! placed once) and rebuilds the indexes.

use super::advisory::Advisory;
use super::store::{AdvisoryIndex, KnowledgeBase, Statement};
use std::collections::HashMap;

/// Where an advisory of a patched knowledge base comes from
/// ([`KnowledgeBase::replace_clusters`]).
///
/// ```
/// use exposure::kb::Place;
/// // The first advisory kept, then the replacement's first.
/// let order = [Place::Kept(0), Place::Added(0)];
/// assert_ne!(order[0], order[1]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// The advisory at this position of the knowledge base being patched.
    Kept(usize),
    /// The advisory at this position of the replacement.
    Added(usize),
}

/// Why a patch was refused (the knowledge base is left as it was).
///
/// ```
/// use exposure::kb::{KnowledgeBase, PatchError, Place};
/// let mut kb = KnowledgeBase::new();
/// let error = kb.replace_clusters(KnowledgeBase::new(), &[Place::Kept(0)]);
/// assert_eq!(error, Err(PatchError::BadPlace(Place::Kept(0))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatchError {
    /// A place out of range, or given twice.
    #[error("advisory place {0:?} is out of range or given twice")]
    BadPlace(Place),
    /// An advisory of the replacement that the order does not place.
    #[error("the replacement's advisory {0} is not placed")]
    Unplaced(usize),
    /// An id or alias carried both by a kept advisory and by a removed or added one: the
    /// clusters replaced are not whole.
    #[error("`{0}` is carried by a kept advisory and by a replaced or added one: the clusters replaced are not whole")]
    OpenCluster(String),
}

impl KnowledgeBase {
    /// Replaces the advisories of some clusters by the advisories of `replacement` (which
    /// holds the clusters' records loaded again), placing the advisories of the result in
    /// `order`: each [`Place::Kept`] names an advisory of this knowledge base (those it does
    /// not name are removed, with their statements), each [`Place::Added`] one of the
    /// replacement's (all must be placed). Ids and aliases lead where they led in the
    /// knowledge base they come from; the indexes are rebuilt in the new order.
    ///
    /// Only advisories, their applicability statements and the id index change: threat
    /// intelligence, VEX statements and metadata are this knowledge base's (the
    /// replacement's are dropped). Fails, changing nothing, when a place is out of range or
    /// repeated, when an added advisory is not placed, or when a kept advisory shares an id
    /// or alias with a removed or added one (the clusters are not whole).
    ///
    /// ```
    /// use exposure::kb::{KnowledgeBase, Place};
    /// let a = r#"{"id": "GO-1", "aliases": ["CVE-2024-1"]}"#;
    /// let b = r#"{"id": "GO-2"}"#;
    /// let b2 = r#"{"id": "GO-2", "aliases": ["GHSA-x"], "summary": "now with an alias"}"#;
    /// let mut kb = KnowledgeBase::new();
    /// kb.load_text(a, "go");
    /// kb.load_text(b, "go");
    /// // GO-2 changed: its cluster (GO-2 alone) is loaded again and put where it was.
    /// let mut replacement = KnowledgeBase::new();
    /// replacement.load_text(b2, "go");
    /// kb.replace_clusters(replacement, &[Place::Kept(0), Place::Added(0)])?;
    /// assert_eq!(kb.get("GHSA-x").map(|a| a.id.as_str()), Some("GO-2"));
    /// assert_eq!(kb.get("CVE-2024-1").map(|a| a.id.as_str()), Some("GO-1"));
    /// # Ok::<(), exposure::kb::PatchError>(())
    /// ```
    pub fn replace_clusters(
        &mut self,
        mut replacement: KnowledgeBase,
        order: &[Place],
    ) -> Result<(), PatchError> {
        self.own();
        replacement.own();
        self.damage.append(&mut replacement.damage);
        let mut kept: Vec<Option<AdvisoryIndex>> = vec![None; self.advisories.len()];
        let mut added: Vec<Option<AdvisoryIndex>> = vec![None; replacement.advisories.len()];
        for (at, &place) in order.iter().enumerate() {
            let slot = match place {
                Place::Kept(i) => kept.get_mut(i),
                Place::Added(i) => added.get_mut(i),
            };
            match slot {
                Some(slot) if slot.is_none() => *slot = Some(AdvisoryIndex::new(at)),
                _ => return Err(PatchError::BadPlace(place)),
            }
        }
        if let Some(unplaced) = added.iter().position(Option::is_none) {
            return Err(PatchError::Unplaced(unplaced));
        }
        self.check_whole(&kept, &replacement)?;

        let old_statements = std::mem::take(&mut self.applicability);
        let mut old: Vec<Option<Advisory>> = std::mem::take(&mut self.advisories)
            .into_iter()
            .map(Some)
            .collect();
        let mut new: Vec<Option<Advisory>> = replacement.advisories.into_iter().map(Some).collect();
        self.advisories = order
            .iter()
            .filter_map(|&place| match place {
                Place::Kept(i) => old.get_mut(i).and_then(Option::take),
                Place::Added(i) => new.get_mut(i).and_then(Option::take),
            })
            .collect();

        let remap =
            |map: &[Option<AdvisoryIndex>], at: AdvisoryIndex| map.get(at.get()).copied().flatten();
        let mut by_id: HashMap<String, AdvisoryIndex> = HashMap::new();
        for (id, at) in std::mem::take(&mut self.by_id) {
            if let Some(to) = remap(&kept, at) {
                by_id.insert(id, to);
            }
        }
        for (id, at) in replacement.by_id {
            if let Some(to) = remap(&added, at) {
                by_id.insert(id, to);
            }
        }
        self.by_id = by_id;

        let mut statements: Vec<(AdvisoryIndex, Statement)> = old_statements
            .into_iter()
            .filter_map(|(at, s)| Some((remap(&kept, at)?, s)))
            .chain(
                replacement
                    .applicability
                    .into_iter()
                    .filter_map(|(at, s)| Some((remap(&added, at)?, s))),
            )
            .collect();
        statements.sort_unstable_by_key(|(at, _)| *at);
        self.source_names.extend(replacement.source_names);
        self.by_package.clear();
        self.by_product.clear();
        for at in 0..self.advisories.len() {
            self.index(AdvisoryIndex::new(at));
        }
        for (at, statement) in statements {
            self.set_applicability_at(at, statement);
        }
        Ok(())
    }

    /// Whether the clusters replaced are whole: every id and alias of a kept advisory leads
    /// to a kept advisory and is none of the replacement's, and every one of a removed
    /// advisory leads to a removed one.
    fn check_whole(
        &self,
        kept: &[Option<AdvisoryIndex>],
        replacement: &KnowledgeBase,
    ) -> Result<(), PatchError> {
        for (at, advisory) in self.advisories.iter().enumerate() {
            let is_kept = kept.get(at).is_some_and(Option::is_some);
            for id in std::iter::once(&advisory.id).chain(&advisory.aliases) {
                let owner_kept = self
                    .by_id
                    .get(id)
                    .is_some_and(|owner| kept.get(owner.get()).is_some_and(Option::is_some));
                if owner_kept != is_kept || (is_kept && replacement.by_id.contains_key(id)) {
                    return Err(PatchError::OpenCluster(id.clone()));
                }
            }
        }
        Ok(())
    }
}
