//! A snapshot's indexes as three tables searched in place (`table`): every id and alias to
//! its advisory, every (ecosystem, normalised name) to its entries, every CPE (vendor,
//! product) to its advisories. Opening checks them once; a query is a binary search; the
//! first change to the knowledge base turns them back into its hash maps
//! ([`InPlace::rows`]).

use super::table::{self, Table};
use crate::ecosystem::Ecosystem;
use crate::kb::store::IndexRows;
use std::ops::Range;

/// The tables as written into a snapshot's head.
pub(super) struct Tables {
    pub(super) ids: Vec<u8>,
    pub(super) packages: Vec<u8>,
    pub(super) products: Vec<u8>,
    pub(super) statements: Vec<u32>,
}

impl Tables {
    /// The tables of a knowledge base's index rows.
    pub(super) fn write(rows: &IndexRows) -> Tables {
        let ids = rows
            .ids
            .iter()
            .map(|(id, at)| (table::key(&[id]), vec![*at]))
            .collect();
        let packages = rows
            .packages
            .iter()
            .map(|(ecosystem, name, entries)| {
                let postings = entries.iter().flat_map(|&(at, entry)| [at, entry]);
                (table::key(&[ecosystem, name]), postings.collect())
            })
            .collect();
        let products = rows
            .products
            .iter()
            .map(|(vendor, product, at)| (table::key(&[vendor, product]), at.clone()))
            .collect();
        Tables {
            ids: table::write(ids, 1),
            packages: table::write(packages, 2),
            products: table::write(products, 1),
            statements: rows.statements.clone(),
        }
    }
}

/// The three tables, checked, as ranges of a snapshot's head.
#[derive(Debug, Clone, Default)]
pub(crate) struct InPlace {
    ids: Table,
    packages: Table,
    products: Table,
}

impl InPlace {
    /// The tables at these ranges of `head`, checked against `advisories` (see
    /// [`Table::check`]); an id names exactly one advisory.
    pub(super) fn check(
        head: &[u8],
        [ids, packages, products]: [Range<usize>; 3],
        advisories: usize,
    ) -> Result<InPlace, String> {
        let ids = Table::check(head, ids, 1, 1, advisories)?;
        if ids.rows(head).any(|(_, postings)| postings.len() != 4) {
            return Err("index table: an id with more than one advisory".to_owned());
        }
        Ok(InPlace {
            ids,
            packages: Table::check(head, packages, 2, 2, advisories)?,
            products: Table::check(head, products, 1, 2, advisories)?,
        })
    }

    /// The advisory carrying `id` as its id or an alias.
    pub(crate) fn id(&self, head: &[u8], id: &str) -> Option<u32> {
        table::numbers(self.ids.find(head, id.as_bytes())).next()
    }

    /// The (advisory, entry) pairs naming this package (`name` normalised by the caller).
    pub(crate) fn package<'h>(
        &self,
        head: &'h [u8],
        ecosystem: &Ecosystem,
        name: &str,
    ) -> impl Iterator<Item = (u32, u32)> + 'h {
        // A value `from_osv` never gives (`Other("PyPI")`) names nothing, as in the maps.
        let postings = if ecosystem.is_canonical() {
            self.packages
                .find(head, &table::key(&[ecosystem.osv_name(), name]))
        } else {
            &[]
        };
        postings.chunks_exact(8).map(|pair| {
            let mut numbers = table::numbers(pair);
            (
                numbers.next().unwrap_or_default(),
                numbers.next().unwrap_or_default(),
            )
        })
    }

    /// The advisories whose statements name this (vendor, product), in lower case.
    pub(crate) fn product<'h>(
        &self,
        head: &'h [u8],
        vendor: &str,
        product: &str,
    ) -> impl Iterator<Item = u32> + 'h {
        table::numbers(self.products.find(head, &table::key(&[vendor, product])))
    }

    /// Number of distinct (vendor, product) pairs.
    pub(crate) fn products_len(&self) -> usize {
        self.products.len()
    }

    /// The tables as the knowledge base's index rows (with `statements`), to build its maps
    /// from when it is made owned.
    pub(crate) fn rows(&self, head: &[u8], statements: &[u32]) -> IndexRows {
        // Keys of two parts, as checked.
        let two = |key: &[u8]| {
            let mut parts = table::parts(key);
            (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            )
        };
        IndexRows {
            ids: self
                .ids
                .rows(head)
                .filter_map(|(key, postings)| {
                    let at = table::numbers(postings).next()?;
                    Some((String::from_utf8_lossy(key).into_owned(), at))
                })
                .collect(),
            packages: self
                .packages
                .rows(head)
                .map(|(key, postings)| {
                    let (ecosystem, name) = two(key);
                    let numbers: Vec<u32> = table::numbers(postings).collect();
                    let pairs = numbers.chunks_exact(2).map(|p| (p[0], p[1])).collect();
                    (ecosystem, name, pairs)
                })
                .collect(),
            products: self
                .products
                .rows(head)
                .map(|(key, postings)| {
                    let (vendor, product) = two(key);
                    (vendor, product, table::numbers(postings).collect())
                })
                .collect(),
            statements: statements.to_vec(),
        }
    }
}
