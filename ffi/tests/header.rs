//! The committed `include/exposure.h` must be exactly what cbindgen generates from this crate,
//! and its version macros must match Cargo.toml. Regenerate with
//! `EXPOSURE_BLESS=1 cargo test -p exposure-ffi --test header`.

use std::path::PathBuf;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn header_path() -> PathBuf {
    crate_dir().join("../include/exposure.h")
}

#[test]
fn committed_header_is_fresh() {
    let config =
        cbindgen::Config::from_file(crate_dir().join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir())
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("UTF-8 header");
    if std::env::var_os("EXPOSURE_BLESS").is_some() {
        std::fs::write(header_path(), &generated).expect("write header");
        return;
    }
    let committed = std::fs::read_to_string(header_path()).unwrap_or_default();
    assert!(
        committed == generated,
        "include/exposure.h is stale: run `EXPOSURE_BLESS=1 cargo test -p exposure-ffi --test header` and commit it"
    );
}

#[test]
fn header_version_macros_match_the_crate() {
    let header = std::fs::read_to_string(header_path()).expect("header exists");
    let version = env!("CARGO_PKG_VERSION");
    let parts: Vec<&str> = version.split('.').collect();
    for (name, value) in ["MAJOR", "MINOR", "PATCH"].iter().zip(&parts) {
        let line = format!("#define EXPOSURE_VERSION_{name} {value}\n");
        assert!(
            header.contains(&line),
            "header lacks {line:?} for crate version {version}"
        );
    }
    // The ABI version the library reports must be the one the header announces.
    let source = std::fs::read_to_string(crate_dir().join("src/lib.rs")).expect("lib.rs");
    let reported = source
        .split("pub extern \"C\" fn exposure_abi_version() -> u32 {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .map(str::trim)
        .expect("exposure_abi_version body");
    let abi = format!("#define EXPOSURE_ABI_VERSION {reported} ");
    assert!(header.contains(&abi), "header lacks {abi:?}");
}
