//! A directory tree read as one device: an unpacked container image, a mounted disk, a
//! checkout. What it reads, each where present:
//!
//! - the release from `etc/os-release` (else `usr/lib/os-release`), for the distro packages;
//! - dpkg's `var/lib/dpkg/status` ([`super::dpkg`]);
//! - apk's `lib/apk/db/installed` ([`super::apk`]);
//! - [`RPM_QA`], the text of `rpm -qa` (the rpm database itself is binary; write it with
//!   `rpm --root DIR -qa > DIR/var/lib/rpm/rpm-qa.txt`) ([`super::rpm`]);
//! - every lockfile ([`super::lockfiles`]) found by a walk of the tree that follows no
//!   symbolic link, goes at most [`MAX_DEPTH`] directories down, looks at most at
//!   [`MAX_ENTRIES`] entries, and skips `node_modules`, `.git`, `target` and the pseudo
//!   file systems (`proc`, `sys`, `dev`). A walk cut short, a directory that cannot be
//!   listed, a lockfile that cannot be read: each is a problem in the report.

use super::lockfiles::{self, Items, Kind};
use super::{Distro, InventoryError, LoadOptions, LoadedFleet};
use crate::files::InputError;
use crate::load_report::{Consequence, Problem};
use std::path::{Path, PathBuf};

/// Where a tree holds `rpm -qa` output, relative to its root.
pub const RPM_QA: &str = "var/lib/rpm/rpm-qa.txt";

/// How many directories down the walk goes.
pub const MAX_DEPTH: usize = 32;

/// How many directory entries the walk looks at, at most.
pub const MAX_ENTRIES: usize = 1_000_000;

/// Directories the walk does not enter: installed packages of npm (their lockfiles are the
/// project's business, and the project's own lock lists them), version control, build
/// output and pseudo file systems.
const SKIPPED: [&str; 5] = ["node_modules", ".git", ".hg", ".svn", "target"];

/// Directories of the root the walk does not enter: the pseudo file systems.
const SKIPPED_AT_ROOT: [&str; 3] = ["proc", "sys", "dev"];

/// Reads the directory `root` as one device, id and name the directory's name (its path when
/// it has none). The release given in `options` wins over the tree's os-release. A path that
/// is not a directory is [`InventoryError::Input`]; a file in the tree that cannot be read
/// is a problem in the report, and so is an unreadable lockfile.
///
/// ```
/// use exposure::inventory::{rootfs, LoadOptions};
/// let root = std::env::temp_dir().join(format!("exposure-doc-rootfs-{}", std::process::id()));
/// std::fs::create_dir_all(root.join("etc"))?;
/// std::fs::create_dir_all(root.join("lib/apk/db"))?;
/// std::fs::create_dir_all(root.join("srv/app"))?;
/// std::fs::write(root.join("etc/os-release"), "ID=alpine\nVERSION_ID=3.19.1\n")?;
/// std::fs::write(root.join("lib/apk/db/installed"), "P:busybox\nV:1.36.1-r15\no:busybox\n")?;
/// std::fs::write(root.join("srv/app/requirements.txt"), "django==4.2.1\n")?;
/// let loaded = rootfs::load_dir(&root, &LoadOptions::default())?;
/// let device = &loaded.fleet.devices[0];
/// let items: Vec<String> = device.software.iter().map(|s| format!("{} {} {}", s.ecosystem, s.name, s.version)).collect();
/// assert_eq!(items, ["Alpine:v3.19 busybox 1.36.1-r15", "PyPI django 4.2.1"]);
/// # std::fs::remove_dir_all(&root)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_dir(root: &Path, options: &LoadOptions<'_>) -> Result<LoadedFleet, InventoryError> {
    let metadata = std::fs::metadata(root).map_err(|e| InventoryError::Input {
        path: root.to_owned(),
        source: InputError::Io(e),
    })?;
    if !metadata.is_dir() {
        return Err(InventoryError::Input {
            path: root.to_owned(),
            source: InputError::Io(std::io::Error::other("not a directory")),
        });
    }
    let id = root.file_name().map_or_else(
        || root.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let origin = root.display().to_string();
    let mut items = Items::default();
    let mut software = Vec::new();
    let distro = options.distro.clone().or_else(|| os_release(root));
    // The distro package databases.
    if let Some(text) = read(root, "var/lib/dpkg/status", options, &mut items) {
        let loaded = super::dpkg::load_device(&text, distro.as_ref(), &id);
        take(loaded, &mut software, &mut items);
    }
    if let Some(text) = read(root, "lib/apk/db/installed", options, &mut items) {
        items.report.files += 1;
        let origin = root.join("lib/apk/db/installed").display().to_string();
        software.extend(super::apk::read(
            &text,
            distro.as_ref(),
            &origin,
            &mut items.report,
        ));
    }
    if let Some(text) = read(root, RPM_QA, options, &mut items) {
        take(
            super::rpm::load_device(&text, &id),
            &mut software,
            &mut items,
        );
    }
    for (path, kind) in walk(root, &origin, &mut items) {
        let name = path.display().to_string();
        match options.limits.read_text(&path) {
            Ok(text) => {
                if let Err(e) = lockfiles::read_into(kind, &text, &name, &mut items) {
                    items
                        .report
                        .problem(Problem::skipped_input(&name, e.to_string()));
                }
            }
            Err(e) => items
                .report
                .problem(Problem::skipped_input(&name, e.to_string())),
        }
    }
    let (lockfile_software, report) = items.finish();
    software.extend(lockfile_software);
    Ok(LoadedFleet::one_device(id.clone(), id, software, report))
}

/// The tree's release: `etc/os-release`, else `usr/lib/os-release` (a symbolic link is not
/// followed out of the tree: `etc/os-release` usually is one, to the other).
fn os_release(root: &Path) -> Option<Distro> {
    ["etc/os-release", "usr/lib/os-release"]
        .iter()
        .find_map(|relative| {
            let path = root.join(relative);
            let regular = std::fs::symlink_metadata(&path).ok()?.is_file();
            regular
                .then(|| std::fs::read_to_string(&path).ok())
                .flatten()
                .and_then(|text| Distro::from_os_release(&text))
        })
}

/// The text of `root/relative` when it is a regular file; one that cannot be read is a
/// problem.
fn read(
    root: &Path,
    relative: &str,
    options: &LoadOptions<'_>,
    items: &mut Items,
) -> Option<String> {
    let path = root.join(relative);
    let metadata = std::fs::symlink_metadata(&path).ok()?;
    if !metadata.is_file() {
        return None;
    }
    match options.limits.read_text(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            items.report.problem(Problem::skipped_input(
                &path.display().to_string(),
                e.to_string(),
            ));
            None
        }
    }
}

/// Adds a one-device load's software and report.
fn take(loaded: LoadedFleet, software: &mut Vec<super::Software>, items: &mut Items) {
    for device in loaded.fleet.devices {
        software.extend(
            device
                .software
                .into_iter()
                .map(|s| std::sync::Arc::try_unwrap(s).unwrap_or_else(|shared| (*shared).clone())),
        );
    }
    items.report.absorb(loaded.report);
}

/// The lockfiles under `root`, in a stable order (entries sorted by name), found without
/// recursion or following links; limits reached and directories that cannot be listed are
/// problems in `items`' report.
fn walk(root: &Path, origin: &str, items: &mut Items) -> Vec<(PathBuf, Kind)> {
    let mut found: Vec<(PathBuf, Kind)> = Vec::new();
    let mut pending: Vec<(PathBuf, usize)> = vec![(root.to_owned(), 0)];
    let mut entries = 0usize;
    while let Some((dir, depth)) = pending.pop() {
        let listed = std::fs::read_dir(&dir).and_then(|list| {
            list.map(|e| e.and_then(|e| Ok((e.file_name(), e.file_type()?))))
                .collect::<Result<Vec<_>, _>>()
        });
        let mut listed = match listed {
            Ok(listed) => listed,
            Err(e) => {
                items.report.problem(Problem::skipped_input(
                    &dir.display().to_string(),
                    format!("cannot list the directory: {e}"),
                ));
                continue;
            }
        };
        listed.sort_by(|a, b| b.0.cmp(&a.0));
        let mut subdirectories = Vec::new();
        for (name, file_type) in listed {
            entries += 1;
            if entries > MAX_ENTRIES {
                items.report.problem(Problem::new(
                    origin,
                    None,
                    "",
                    format!("the walk stopped after {MAX_ENTRIES} entries: lockfiles further on were not read"),
                    Consequence::Skipped,
                ));
                found.sort_by(|a, b| a.0.cmp(&b.0));
                return found;
            }
            let name = name.to_string_lossy();
            if file_type.is_dir() {
                if SKIPPED.contains(&name.as_ref())
                    || depth == 0 && SKIPPED_AT_ROOT.contains(&name.as_ref())
                {
                    continue;
                }
                if depth + 1 > MAX_DEPTH {
                    items.report.problem(Problem::new(
                        origin,
                        Some(&dir.join(name.as_ref()).display().to_string()),
                        "",
                        format!("deeper than {MAX_DEPTH} directories: not read"),
                        Consequence::Skipped,
                    ));
                    continue;
                }
                subdirectories.push((dir.join(name.as_ref()), depth + 1));
            } else if file_type.is_file() {
                if let Some(kind) = Kind::from_file_name(&name) {
                    found.push((dir.join(name.as_ref()), kind));
                }
            }
        }
        pending.extend(subdirectories);
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}
