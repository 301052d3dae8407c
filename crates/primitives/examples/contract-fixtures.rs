//! Writes the cross-language fixtures the Solidity tests read
//! (`contracts/test/fixtures/rampart.json`, relative to the workspace root).

use rampart_primitives::fixtures::{FIXTURE_PATH, contract_fixtures_text};
use std::path::Path;

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join(FIXTURE_PATH);
    std::fs::create_dir_all(path.parent().expect("has a parent"))?;
    std::fs::write(&path, contract_fixtures_text())?;
    Ok(())
}
