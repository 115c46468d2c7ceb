//! `exposure explain` (a device's or the organisation's score explained), `exposure model`
//! and `--model` end to end on the demo.

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(args)
        .output()
        .expect("runs")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exposure-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn the_demo_api_gateway_explained_as_a_table() {
    let out = run(&["explain", "api-gw-01", "--demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let mut lines = text.lines();
    assert!(
        lines.next().unwrap().starts_with("Device api-gw-01 ("),
        "{text}"
    );
    assert!(text.contains("Findings by marginal contribution"), "{text}");
    let header = text
        .lines()
        .find(|l| l.trim_start().starts_with("advisory"))
        .expect("a header");
    for column in ["I", "L", "set by", "r", "marginal", "share"] {
        assert!(header.contains(column), "{header}");
    }
    // The device has an active alert for CVE-2023-39325: that finding's L is set by it.
    assert!(text.contains("  alert  "), "{text}");
}

#[test]
fn the_demo_api_gateway_explained_as_json() {
    let e = json(&run(&[
        "explain",
        "api-gw-01",
        "--demo",
        "--format",
        "json",
    ]));
    assert_eq!(e["device_id"], "api-gw-01");
    assert_eq!(e["model_version"], "exposure-model/1.0");
    let findings = e["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    let marginals: Vec<f64> = findings
        .iter()
        .map(|f| f["marginal"].as_f64().unwrap())
        .collect();
    assert!(marginals.windows(2).all(|w| w[0] >= w[1]), "{marginals:?}");
    let sum: f64 = marginals.iter().sum();
    assert!((e["marginal_sum"].as_f64().unwrap() - sum).abs() < 1e-9);
    for f in findings {
        for field in [
            "advisory_id",
            "cves",
            "impact",
            "impact_source",
            "likelihood",
            "set_by",
            "likelihood_steps",
            "risk",
            "share",
        ] {
            assert!(f.get(field).is_some(), "{field} in {f:#}");
        }
        // The steps: the base's evidence first, then each rule with its parameter and L.
        let steps = f["likelihood_steps"].as_array().unwrap();
        assert!(steps[0].get("kind").is_some(), "{f:#}");
        assert!(steps[1..].iter().all(|s| s.get("rule").is_some()));
    }
    assert!(findings
        .iter()
        .any(|f| f["likelihood_rule"] == "active_alert"));
}

#[test]
fn the_organisation_by_contribution() {
    let org = json(&run(&["explain", "--demo", "--format", "json"]));
    let same = json(&run(&[
        "explain",
        "--organisation",
        "--demo",
        "--format",
        "json",
    ]));
    assert_eq!(org, same);
    let devices = org["devices"].as_array().expect("devices");
    assert_eq!(devices.len(), 5);
    let total: f64 = devices
        .iter()
        .map(|d| d["contribution"].as_f64().unwrap())
        .sum();
    assert!((total - org["score"].as_f64().unwrap()).abs() < 1e-9);
    let out = run(&["explain", "--demo"]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.starts_with("Organisation exposure score: "), "{text}");
    assert!(text.contains("Devices by contribution"), "{text}");
}

#[test]
fn an_unknown_device_or_bad_arguments_exit_2() {
    let out = run(&["explain", "no-such-device", "--demo"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no device \"no-such-device\""), "{stderr}");
    assert!(
        stderr.contains("exposure explain --organisation"),
        "{stderr}"
    );
    assert_eq!(run(&["explain", "x"]).status.code(), Some(2), "no inputs");
    assert_eq!(
        run(&["explain", "x", "--organisation", "--demo"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn model_show_round_trips_through_model() {
    let defaults = json(&run(&["model", "show"]));
    assert_eq!(defaults["version"], "exposure-model/1.0");
    assert_eq!(json(&run(&["model"])), defaults);
    let dir = scratch("model");
    let mut changed = defaults.clone();
    changed["version"] = "acme/1".into();
    changed["internet_facing_odds"] = 1.0.into();
    let model = dir.join("model.json");
    std::fs::write(&model, changed.to_string()).expect("write");
    let model = model.to_str().unwrap();
    let a = json(&run(&[
        "assess", "--demo", "--format", "json", "--model", model,
    ]));
    assert_eq!(a["model_version"], "acme/1");
    assert_eq!(a["parameters"]["internet_facing_odds"], 1.0);
    let base = json(&run(&["assess", "--demo", "--format", "json"]));
    assert!(a["organisation"]["score"].as_f64() < base["organisation"]["score"].as_f64());
    let e = json(&run(&[
        "explain", "web-01", "--demo", "--format", "json", "--model", model,
    ]));
    assert_eq!(e["model_version"], "acme/1");

    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"kev_floor": 1.5}"#).expect("write");
    let out = run(&["assess", "--demo", "--model", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("kev_floor is 1.5"), "{stderr}");
    let out = run(&[
        "explain",
        "--demo",
        "--model",
        dir.join("missing.json").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(run(&["model", "edit"]).status.code(), Some(2));
}
