//! `Gemfile.lock` (`pkg:gem`): the gems of its `GEM` sections' `specs:` (four spaces in;
//! their own dependencies, six in, are listed as specs too). A platform suffix
//! (`nokogiri (1.15.4-x86_64-linux)`) is not part of the version. Gems of `GIT` and `PATH`
//! sections come from no gem server: reported, not matched.

use super::File;

/// Reads a `Gemfile.lock`.
pub(super) fn read(text: &str, file: &mut File<'_>) {
    let mut section = "";
    let mut in_specs = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            section = line.trim();
            in_specs = false;
            continue;
        }
        if line.trim_end() == "  specs:" {
            in_specs = true;
            continue;
        }
        if !in_specs || !line.starts_with("    ") || line.starts_with("     ") {
            continue;
        }
        let record = format!("line {}", n + 1);
        let spec = line.trim();
        let Some((name, rest)) = spec.split_once(" (") else {
            file.skip(&record, "", format!("{spec:?} is not `name (version)`"));
            continue;
        };
        let version = rest.trim_end_matches(')');
        // A platform follows the version after a dash (versions use dots, not dashes).
        let version = version.split_once('-').map_or(version, |(v, _)| v);
        if section != "GEM" {
            file.skip(
                &format!("{name} {version}"),
                "",
                format!("from a {section} section, not a gem server: no release to match"),
            );
            continue;
        }
        file.package(&format!("{name} {version}"), "gem", None, name, version);
    }
}
