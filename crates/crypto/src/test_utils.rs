//! Test helpers shared across Rampart crates (feature `test-utils`).

use std::path::PathBuf;

/// The directory of the shared conformance vectors: `$RAMPART_VECTORS_DIR`, else
/// `../shared/vectors` beside the workspace (where CI and developers find it).
///
/// Panics with a clear message when it is missing: a conformance test must never pass by
/// silently reading nothing.
pub fn vectors_dir() -> PathBuf {
    let dir = match std::env::var_os("RAMPART_VECTORS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors"),
    };
    assert!(
        dir.is_dir(),
        "conformance vectors not found at {}; set RAMPART_VECTORS_DIR",
        dir.display()
    );
    dir
}

/// Reads and parses one JSON file below [`vectors_dir`].
pub fn read_json(relative: &str) -> serde_json::Value {
    let path = vectors_dir().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// Every `*.json` file in a directory below [`vectors_dir`], sorted, with its parsed content.
/// Panics if there are none.
pub fn read_dir_json(relative: &str) -> Vec<(String, serde_json::Value)> {
    let dir = vectors_dir().join(relative);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no vector files in {}", dir.display());
    names.into_iter().map(|name| (name.clone(), read_json(&format!("{relative}/{name}")))).collect()
}
