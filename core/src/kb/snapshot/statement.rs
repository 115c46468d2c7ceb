//! Applicability statements in a snapshot: the configurations' trees written flat, each
//! node in pre-order with its depth, each criterion as its parts — read back without JSON
//! (format 8 stored NVD JSON text and parsed it again on every load: a quarter of the load).
//!
//! Reading never recurses over the input: the tree is rebuilt with an explicit stack, and a
//! depth past [`MAX_NODE_DEPTH`] or a jump of more than one level is refused, so that a
//! forged snapshot cannot build a statement deeper than one read from NVD JSON.

use super::SnapshotError;
use crate::cpe::{Applicability, Configuration, Criterion, Node, Operator, MAX_NODE_DEPTH};
use crate::range::NvdBounds;
use serde::{Deserialize, Serialize};

/// A statement: its configurations.
#[derive(Serialize, Deserialize)]
pub(super) struct StatementData {
    configurations: Vec<ConfigurationData>,
}

#[derive(Serialize, Deserialize)]
struct ConfigurationData {
    and: bool,
    negate: bool,
    /// The configuration's nodes and their children, in pre-order.
    nodes: Vec<NodeData>,
}

#[derive(Serialize, Deserialize)]
struct NodeData {
    /// 1 for a node of the configuration, 2 for its children, …
    depth: u8,
    and: bool,
    negate: bool,
    criteria: Vec<CriterionData>,
}

#[derive(Serialize, Deserialize)]
struct CriterionData {
    vulnerable: bool,
    text: String,
    /// `versionStartIncluding`, `versionStartExcluding`, `versionEndIncluding`,
    /// `versionEndExcluding`; `None` when the criterion has no bound.
    bounds: Option<Box<[Option<String>; 4]>>,
    id: Option<String>,
}

impl StatementData {
    /// A statement as a snapshot stores it.
    pub(super) fn of(statement: &Applicability) -> Self {
        Self {
            configurations: statement
                .configurations
                .iter()
                .map(|c| ConfigurationData {
                    and: c.operator == Operator::And,
                    negate: c.negate,
                    nodes: flat(&c.nodes),
                })
                .collect(),
        }
    }

    /// The statement again, each criterion read as NVD JSON's are
    /// ([`Criterion::from_parts`]).
    pub(super) fn read(self) -> Result<Applicability, SnapshotError> {
        let configurations = self
            .configurations
            .into_iter()
            .map(|c| {
                Ok(Configuration {
                    operator: operator(c.and),
                    negate: c.negate,
                    nodes: tree(c.nodes)?,
                })
            })
            .collect::<Result<_, SnapshotError>>()?;
        Ok(Applicability { configurations })
    }
}

fn operator(and: bool) -> Operator {
    if and {
        Operator::And
    } else {
        Operator::Or
    }
}

/// `nodes` and their children in pre-order, each with its depth (an explicit stack: a
/// statement built in code may nest deeper than one read from JSON).
fn flat(nodes: &[Node]) -> Vec<NodeData> {
    let mut out = Vec::new();
    let mut stack: Vec<(&Node, usize)> = nodes.iter().rev().map(|n| (n, 1)).collect();
    while let Some((node, depth)) = stack.pop() {
        out.push(NodeData {
            depth: u8::try_from(depth).unwrap_or(u8::MAX),
            and: node.operator == Operator::And,
            negate: node.negate,
            criteria: node
                .criteria
                .iter()
                .map(|c| CriterionData {
                    vulnerable: c.vulnerable,
                    text: c.text.clone(),
                    bounds: c.bounds.as_ref().map(|b| {
                        Box::new([
                            b.start_including.clone(),
                            b.start_excluding.clone(),
                            b.end_including.clone(),
                            b.end_excluding.clone(),
                        ])
                    }),
                    id: c.id.clone(),
                })
                .collect(),
        });
        stack.extend(node.children.iter().rev().map(|n| (n, depth + 1)));
    }
    out
}

/// The nodes of a configuration from their pre-order: `open[i]` is the node being filled at
/// depth `i + 1`; a node closes when one at its depth or above comes.
fn tree(flat: Vec<NodeData>) -> Result<Vec<Node>, SnapshotError> {
    fn close(node: Node, open: &mut [Node], top: &mut Vec<Node>) {
        match open.last_mut() {
            Some(parent) => parent.children.push(node),
            None => top.push(node),
        }
    }
    let mut top = Vec::new();
    let mut open: Vec<Node> = Vec::new();
    for data in flat {
        let depth = usize::from(data.depth);
        if depth == 0 || depth > open.len() + 1 || depth > MAX_NODE_DEPTH {
            return Err(SnapshotError::Payload(format!(
                "a statement's node at depth {depth} after {} open (at most {MAX_NODE_DEPTH})",
                open.len()
            )));
        }
        while open.len() >= depth {
            let node = open
                .pop()
                .unwrap_or_else(|| unreachable!("open holds depth nodes"));
            close(node, &mut open, &mut top);
        }
        let criteria = data
            .criteria
            .into_iter()
            .map(criterion)
            .collect::<Result<_, _>>()?;
        open.push(Node {
            operator: operator(data.and),
            negate: data.negate,
            criteria,
            children: Vec::new(),
        });
    }
    while let Some(node) = open.pop() {
        close(node, &mut open, &mut top);
    }
    Ok(top)
}

fn criterion(data: CriterionData) -> Result<Criterion, SnapshotError> {
    let [start_including, start_excluding, end_including, end_excluding] =
        data.bounds.as_deref().map_or([None; 4], |b| {
            [
                b[0].as_deref(),
                b[1].as_deref(),
                b[2].as_deref(),
                b[3].as_deref(),
            ]
        });
    let bounds = NvdBounds {
        start_including,
        start_excluding,
        end_including,
        end_excluding,
        exact: None,
    };
    Criterion::from_parts(data.vulnerable, &data.text, bounds, data.id, "criterion")
        .map_err(|e| SnapshotError::Payload(format!("a statement's {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(json: &serde_json::Value) -> Applicability {
        Applicability::from_nvd_json(json).unwrap()
    }

    fn round_trip(statement: &Applicability) -> Applicability {
        let bytes = bincode::serialize(&StatementData::of(statement)).unwrap();
        bincode::deserialize::<StatementData>(&bytes)
            .unwrap()
            .read()
            .unwrap()
    }

    #[test]
    fn statements_read_back_equal_in_both_nvd_shapes() {
        let v2 = statement(
            &serde_json::json!([{ "operator": "AND", "negate": true, "nodes": [
            { "operator": "OR", "cpeMatch": [{ "vulnerable": true, "versionEndExcluding": "1.3.2",
              "versionStartIncluding": "1.0", "matchCriteriaId": "ABC",
              "criteria": "cpe:2.3:a:webmproject:libwebp:*:*:*:*:*:*:*:*" }] },
            { "operator": "OR", "negate": true, "cpeMatch": [{ "vulnerable": false,
              "criteria": "cpe:2.3:o:debian:debian_linux:12.0:*:*:*:*:*:*:*" }] }] }]),
        );
        let v1 = statement(
            &serde_json::json!({ "nodes": [{ "operator": "AND", "children": [
            { "operator": "OR", "cpe_match": [{ "vulnerable": true,
              "cpe23Uri": "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*",
              "versionStartExcluding": "1.0.2", "versionEndIncluding": "1.0.2zf" }],
              "children": [{ "operator": "OR", "cpe_match": [] }] },
            { "operator": "OR", "cpe_match": [{ "vulnerable": false,
              "cpe23Uri": "cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*" }] }] },
            { "operator": "OR", "cpe_match": [] }] }),
        );
        for s in [v1, v2, Applicability::default()] {
            assert_eq!(round_trip(&s).to_nvd_json(), s.to_nvd_json());
        }
    }

    #[test]
    fn a_statement_nested_past_the_limit_or_jumping_a_level_is_refused() {
        let node = |depth| NodeData {
            depth,
            and: false,
            negate: false,
            criteria: Vec::new(),
        };
        let read = |depths: &[u8]| {
            StatementData {
                configurations: vec![ConfigurationData {
                    and: false,
                    negate: false,
                    nodes: depths.iter().map(|&d| node(d)).collect(),
                }],
            }
            .read()
        };
        let deepest: Vec<u8> = (1..=u8::try_from(MAX_NODE_DEPTH).unwrap()).collect();
        assert!(read(&deepest).is_ok());
        let mut deeper = deepest.clone();
        deeper.push(deepest[deepest.len() - 1] + 1);
        for bad in [&deeper[..], &[2], &[1, 3], &[0], &[1, 2, 2, 4]] {
            let err = read(bad).unwrap_err();
            assert!(matches!(err, SnapshotError::Payload(_)), "{bad:?}: {err}");
        }
        assert!(read(&[1, 2, 2, 1, 2, 3, 1]).is_ok());
    }

    #[test]
    fn a_criterion_that_no_longer_reads_is_a_payload_error() {
        let mut data = StatementData::of(&statement(&serde_json::json!([{ "nodes": [
            { "operator": "OR", "cpeMatch": [{ "vulnerable": true,
              "criteria": "cpe:2.3:a:x:y:*:*:*:*:*:*:*:*" }] }] }])));
        data.configurations[0].nodes[0].criteria[0].text = "not a cpe".into();
        assert!(matches!(data.read(), Err(SnapshotError::Payload(_))));
    }
}
