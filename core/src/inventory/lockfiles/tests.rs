//! Lockfile tests.
