//! A signing process killed (SIGKILL) right after `sign_checkpoint` returned: the test binary
//! runs itself as the child, filtered to [`crash_child`].

use crate::support::{Signer, key, open, sign};
use alloy_primitives::B256;
use rampart_primitives::{Checkpoint, RollupId};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Set in the child's environment to the database URL.
const CHILD_ENV: &str = "RAMPART_SLASHING_CRASH_CHILD_URL";
/// The line the child prints once it holds the signature.
const MARKER: &str = "RAMPART-SIGNED ";

/// What the child signs.
pub const CRASH_CHECKPOINT: Checkpoint = Checkpoint {
    rollup_id: RollupId(9),
    batch_index: 77,
    l2_block_number: 7_700,
    l2_block_hash: B256::repeat_byte(0x17),
    state_root: B256::repeat_byte(0x71),
};

/// Runs [`crash_child`] in a new process, SIGKILLs it as soon as it reports its signature, and
/// returns the signature it reported.
pub fn sign_in_child_and_kill(url: &str) -> String {
    let exe = std::env::current_exe().expect("the test binary");
    let mut child = Command::new(exe)
        .args(["crash::crash_child", "--exact", "--nocapture", "--test-threads=1", "--ignored"])
        .env(CHILD_ENV, url)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawning the signing child");
    let stdout = child.stdout.take().expect("child stdout");
    let mut signature = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("reading the child");
        // libtest may print "test crash::crash_child ... " first, on the same line.
        if let Some(at) = line.find(MARKER) {
            signature = Some(line[at + MARKER.len()..].trim().to_owned());
            break;
        }
    }
    // SIGKILL: no destructors, no pool shutdown, no WAL checkpoint.
    child.kill().expect("killing the child");
    let status = child.wait().expect("reaping the child");
    assert!(!status.success(), "the child should have been killed, not exit: {status}");
    signature.expect("the child never reported a signature")
}

/// The child half of `a_crash_after_ok_keeps_the_record`, which runs it (with `--ignored`) in
/// a process of its own; it is not a test by itself.
#[test]
#[ignore = "the child process of a_crash_after_ok_keeps_the_record, which runs it"]
fn crash_child() {
    let url = std::env::var(CHILD_ENV).unwrap_or_else(|_| {
        panic!("crash_child only runs as the child of a_crash_after_ok_keeps_the_record")
    });
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let signer = Signer::new(key(1));
        let db = open(&url, &signer.sk).await;
        let signature = sign(&db, &signer, &CRASH_CHECKPOINT).await.expect("signing");
        let mut out = std::io::stdout().lock();
        writeln!(out, "{MARKER}{signature}").expect("stdout");
        out.flush().expect("stdout");
        drop(out);
        // Wait to be killed, holding the pool open (bounded, should the parent be gone).
        tokio::time::sleep(Duration::from_secs(120)).await;
    });
}
