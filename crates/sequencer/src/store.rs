//! Batches on disk: one JSON file per batch, written atomically *before* the batch is
//! committed on L1, so a committed batch's data is never lost.

use crate::{Error, Result};
use rampart_reference_rollup::Batch;
use std::path::{Path, PathBuf};

/// The batch directory.
#[derive(Debug, Clone)]
pub struct BatchStore {
    dir: PathBuf,
}

fn storage(path: &Path, e: impl ToString) -> Error {
    Error::Storage { path: path.display().to_string(), message: e.to_string() }
}

impl BatchStore {
    /// Opens (creating) `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| storage(dir, e))?;
        Ok(Self { dir: dir.to_owned() })
    }

    fn path(&self, index: u64) -> PathBuf {
        self.dir.join(format!("{index:012}.json"))
    }

    /// Writes a batch (temporary file, fsync, rename).
    pub fn put(&self, batch: &Batch) -> Result<()> {
        use std::io::Write as _;
        let path = self.path(batch.index);
        let tmp = path.with_extension("tmp");
        let text = serde_json::to_vec(batch).map_err(|e| storage(&path, e))?;
        let mut file = std::fs::File::create(&tmp).map_err(|e| storage(&tmp, e))?;
        file.write_all(&text).and_then(|()| file.sync_all()).map_err(|e| storage(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| storage(&path, e))
    }

    /// Every stored batch, in order; they must be contiguous from 0.
    pub fn load_all(&self) -> Result<Vec<Batch>> {
        let mut batches = Vec::new();
        loop {
            let path = self.path(batches.len() as u64);
            match std::fs::read(&path) {
                Ok(bytes) => {
                    let batch: Batch =
                        serde_json::from_slice(&bytes).map_err(|e| storage(&path, e))?;
                    if batch.index != batches.len() as u64 {
                        return Err(storage(&path, format!("holds batch {}", batch.index)));
                    }
                    batches.push(batch);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(batches),
                Err(e) => return Err(storage(&path, e)),
            }
        }
    }
}
