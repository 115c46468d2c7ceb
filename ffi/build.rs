//! Gives the shared library its SONAME, so that programs linked against it record the ABI
//! line they need, not the file: `libexposure.so.MAJOR` from 1.0 on, and
//! `libexposure.so.0.MINOR` before (in 0.x a minor release may break the ABI, as Cargo's
//! semver rules and cargo-c's naming have it). `scripts/install-c` installs the library under
//! that name with its links.

fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_default();
    let soname = if major == "0" {
        format!("libexposure.so.0.{minor}")
    } else {
        format!("libexposure.so.{major}")
    };
    // ELF platforms only: Mach-O names its libraries with -install_name, Windows has none.
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if !matches!(os.as_str(), "macos" | "ios" | "windows") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
