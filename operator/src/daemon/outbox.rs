//! The persistent outbox: every signed attestation is written here (fsynced) before any
//! delivery attempt, and stays until every aggregator has it or it expires. A restart resumes
//! delivery from the files.

use crate::{Error, Result};
use rampart_primitives::SignedAttestation;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One attestation awaiting delivery.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(super) struct Entry {
    /// What to deliver.
    pub(super) attestation: SignedAttestation,
    /// When it was signed (unix seconds).
    pub(super) created_unix: u64,
    /// Aggregators that accepted it (or refused it for good with a 4xx).
    pub(super) done: BTreeSet<String>,
}

/// A directory of entries, one file per `(rollup, batch)`.
#[derive(Debug)]
pub(super) struct Outbox {
    dir: PathBuf,
}

fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Outbox {
    /// Opens (creating) the outbox directory.
    pub(super) fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create the outbox", dir, e))?;
        Ok(Self { dir: dir.to_path_buf() })
    }

    fn path(&self, a: &SignedAttestation) -> PathBuf {
        let (rollup, batch) = (a.checkpoint.rollup_id.0, a.checkpoint.batch_index);
        let main = self.dir.join(format!("{rollup}-{batch}.json"));
        // A second, conflicting attestation of the batch (fault injection) has its own file,
        // named to sort (and so be delivered) after the protected one.
        let conflicting = self.dir.join(format!("{rollup}-{batch}~conflicting.json"));
        match self.read(&conflicting) {
            Ok(Some(entry)) if entry.attestation == *a => conflicting,
            _ => main,
        }
    }

    /// Stores an attestation that conflicts with the batch's protected one (fault injection
    /// only): it gets its own file, so both are delivered.
    pub(super) fn put_conflicting(&self, attestation: &SignedAttestation) -> Result<()> {
        let c = &attestation.checkpoint;
        let path = self.dir.join(format!("{}-{}~conflicting.json", c.rollup_id.0, c.batch_index));
        if self.read(&path)?.is_some() {
            return Ok(());
        }
        self.write(
            &path,
            &Entry { attestation: *attestation, created_unix: now_unix(), done: BTreeSet::new() },
        )
    }

    /// Stores an attestation durably (keeping delivery progress if it is already there).
    pub(super) fn put(&self, attestation: &SignedAttestation) -> Result<()> {
        let path = self.path(attestation);
        if let Some(existing) = self.read(&path)?
            && existing.attestation == *attestation
        {
            return Ok(());
        }
        self.write(
            &path,
            &Entry { attestation: *attestation, created_unix: now_unix(), done: BTreeSet::new() },
        )
    }

    /// Every pending entry, oldest file first.
    pub(super) fn entries(&self) -> Result<Vec<Entry>> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map_err(|e| Error::io("list the outbox", &self.dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        let mut out = Vec::new();
        for path in paths {
            if let Some(entry) = self.read(&path)? {
                out.push(entry);
            }
        }
        Ok(out)
    }

    /// Records that `aggregator` has the attestation; removes the entry when all have it.
    pub(super) fn mark_done(
        &self,
        attestation: &SignedAttestation,
        aggregator: &str,
        all: &[String],
    ) -> Result<()> {
        let path = self.path(attestation);
        let Some(mut entry) = self.read(&path)? else { return Ok(()) };
        entry.done.insert(aggregator.to_string());
        if all.iter().all(|a| entry.done.contains(a)) {
            self.remove(attestation)
        } else {
            self.write(&path, &entry)
        }
    }

    /// Drops an entry (delivered everywhere, or expired).
    pub(super) fn remove(&self, attestation: &SignedAttestation) -> Result<()> {
        let path = self.path(attestation);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io("remove from the outbox", &path, e)),
        }
    }

    fn read(&self, path: &Path) -> Result<Option<Entry>> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| Error::io("read the outbox", path, std::io::Error::other(e))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io("read the outbox", path, e)),
        }
    }

    /// Writes via a temporary file, fsync and rename, then fsyncs the directory: a crash leaves
    /// either the old or the new entry, never a torn one.
    fn write(&self, path: &Path, entry: &Entry) -> Result<()> {
        let tmp = path.with_extension("tmp");
        let bytes = serde_json::to_vec_pretty(entry).expect("entries serialize");
        let fail = |e| Error::io("write the outbox", path, e);
        let mut file = std::fs::File::create(&tmp).map_err(fail)?;
        file.write_all(&bytes).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        std::fs::rename(&tmp, path).map_err(fail)?;
        std::fs::File::open(&self.dir).and_then(|d| d.sync_all()).map_err(fail)
    }
}
