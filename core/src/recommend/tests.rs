use super::{branch, rank, ActionKind, Recommendation};
use crate::ecosystem::Ecosystem;
use crate::version::Scheme;

#[test]
fn branches_follow_each_scheme() {
    let b = |s, v| branch(s, v);
    assert_eq!(b(Scheme::Pypi, "1.26.12").as_deref(), Some("1"));
    assert_eq!(b(Scheme::Pypi, "2.0.7").as_deref(), Some("2"));
    assert_eq!(b(Scheme::Pypi, "1!2.0").as_deref(), Some("1!2"));
    assert_eq!(b(Scheme::Npm, "0.4.1").as_deref(), Some("0.4"));
    assert_eq!(
        b(Scheme::Golang, "v0.0.0-20220412211240-33da011f77ad"),
        None
    );
    assert_eq!(b(Scheme::Maven, "1.23").as_deref(), Some("1"));
    assert_eq!(b(Scheme::Generic, "10.0.2").as_deref(), Some("10"));
    assert_eq!(b(Scheme::Generic, "115.3.0esr").as_deref(), Some("115"));
    assert_eq!(b(Scheme::Openssl, "1.1.1w").as_deref(), Some("1.1.1"));
    assert_eq!(b(Scheme::Openssl, "3.2.1").as_deref(), Some("3.2"));
    for scheme in [Scheme::Deb, Scheme::Rpm, Scheme::Alpine, Scheme::Alpm] {
        assert_eq!(b(scheme, "1.2.3-1"), None);
    }
    assert_eq!(b(Scheme::Generic, "beta"), None);
}

fn rec(software: &str, action: ActionKind, impact: f64, left: f64, kev: usize) -> Recommendation {
    let mut r = Recommendation::new(action, Ecosystem::Npm, software, software);
    r.devices = vec!["d".to_owned()];
    r.findings = 1;
    r.known_exploited = kev;
    r.exposure_impact = impact;
    r.exposure_left = left;
    r.max_likelihood = 0.1;
    r
}

#[test]
fn ranking_takes_every_kind_and_orders_unfixed_by_the_risk_they_leave() {
    let mut recs = vec![
        rec("a", ActionKind::AttentionRequired, 0.0, 1.0, 0),
        rec("b", ActionKind::AttentionRequired, 0.0, 5.0, 0),
        rec("c", ActionKind::Update, 3.0, 0.0, 0),
        rec("d", ActionKind::ConfigurationChange, 3.0, 0.0, 1),
    ];
    rank(&mut recs);
    let order: Vec<(&str, usize)> = recs.iter().map(|r| (r.software.as_str(), r.rank)).collect();
    assert_eq!(order, [("b", 1), ("d", 2), ("c", 3), ("a", 4)]);
}
