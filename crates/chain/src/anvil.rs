//! A local chain: the real anvil binary from the pinned toolchain, on 127.0.0.1 and a port the
//! OS picks, in its own process group.
//!
//! The process group is killed when the [`Anvil`] value is dropped — also while unwinding from a
//! panic — and the child asks the kernel to kill it if this process dies first
//! (`PR_SET_PDEATHSIG`), so no anvil outlives its owner, even after SIGKILL or Ctrl-C.

use crate::{Error, Result};
use alloy::primitives::B256;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How to start anvil.
#[derive(Debug, Clone)]
pub struct AnvilOptions {
    /// Port to bind, or 0 for one the OS picks.
    pub port: u16,
    /// Chain id.
    pub chain_id: u64,
    /// Seconds between blocks; `None` mines one block per transaction (automine).
    pub block_time: Option<u64>,
    /// Number of prefunded dev accounts.
    pub accounts: u32,
}

impl Default for AnvilOptions {
    fn default() -> Self {
        Self { port: 0, chain_id: 31337, block_time: None, accounts: 10 }
    }
}

/// A running anvil, killed (with its process group) on drop.
#[derive(Debug)]
pub struct Anvil {
    child: Child,
    port: u16,
    chain_id: u64,
    keys: Vec<B256>,
}

/// The anvil binary: `$RAMPART_ANVIL`, else `$RAMPART_TOOLS_DIR/bin/anvil`, else the
/// workspace's `.tools/bin/anvil`, else `anvil` on `PATH`.
pub fn anvil_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("RAMPART_ANVIL") {
        return path.into();
    }
    let tools = std::env::var_os("RAMPART_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.tools"));
    let candidate = tools.join("bin/anvil");
    if candidate.exists() { candidate } else { PathBuf::from("anvil") }
}

impl Anvil {
    /// Starts anvil and waits until it listens (at most 20 s).
    pub fn spawn(options: &AnvilOptions) -> Result<Self> {
        let binary = anvil_binary();
        let mut command = Command::new(&binary);
        command
            .args(["--host", "127.0.0.1", "--port", &options.port.to_string()])
            .args(["--chain-id", &options.chain_id.to_string()])
            .args(["--accounts", &options.accounts.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0);
        if let Some(seconds) = options.block_time {
            command.args(["--block-time", &seconds.to_string()]);
        }
        die_with_parent(&mut command);
        let mut child = command.spawn().map_err(|e| {
            Error::Anvil(format!(
                "cannot start {} ({e}); run scripts/toolchain install or set RAMPART_ANVIL",
                binary.display()
            ))
        })?;

        // Read anvil's banner on a thread: the dev keys, then the address it listens on. The
        // thread keeps draining stdout afterwards so anvil never blocks on a full pipe.
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::Builder::new()
            .name("anvil-stdout".into())
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        // Nobody listens any more: keep draining quietly.
                        continue;
                    }
                }
            })
            .map_err(|e| Error::Anvil(format!("cannot start reader thread: {e}")))?;

        let deadline = Instant::now() + Duration::from_secs(20);
        let mut keys = Vec::new();
        let mut in_keys = false;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = match rx.recv_timeout(left) {
                Ok(line) => line,
                Err(_) => {
                    let _ = kill_group(&mut child);
                    return Err(Error::Anvil("did not start listening within 20 s".into()));
                }
            };
            if line.starts_with("Private Keys") {
                in_keys = true;
            } else if in_keys {
                if let Some(hex) = line.split_whitespace().nth(1).filter(|s| s.starts_with("0x")) {
                    keys.push(
                        hex.parse().map_err(|_| Error::Anvil(format!("bad key line {line:?}")))?,
                    );
                } else if line.starts_with("Wallet") || line.starts_with("Chain ID") {
                    in_keys = false;
                }
            }
            if let Some(addr) = line.strip_prefix("Listening on ") {
                let port = addr.rsplit(':').next().and_then(|p| p.trim().parse().ok());
                let Some(port) = port else {
                    let _ = kill_group(&mut child);
                    return Err(Error::Anvil(format!("cannot parse {line:?}")));
                };
                drop(rx); // the reader thread drains the rest
                return Ok(Self { child, port, chain_id: options.chain_id, keys });
            }
        }
    }

    /// The HTTP JSON-RPC endpoint.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port anvil listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The prefunded dev accounts' private keys, as anvil printed them.
    pub fn keys(&self) -> &[B256] {
        &self.keys
    }

    /// anvil's process id (also its process group id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = kill_group(&mut self.child);
    }
}

/// Kills the child's process group and reaps the child.
fn kill_group(child: &mut Child) -> std::io::Result<()> {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    let pgid = Pid::from_raw(child.id() as i32);
    let _ = killpg(pgid, Signal::SIGTERM);
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if child.try_wait()?.is_some() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = killpg(pgid, Signal::SIGKILL);
    child.wait().map(drop)
}

/// Makes the kernel send SIGKILL to the child when this process exits for any reason (for
/// every helper process a command starts: anvil, the devnet's services). Linux delivers it when
/// the spawning thread exits, so spawn from a thread that lives as long as the child should.
#[allow(unsafe_code)]
pub fn die_with_parent(command: &mut Command) {
    // SAFETY: the closure runs in the forked child before exec and only makes the prctl
    // system call, which is async-signal-safe; it allocates nothing and touches no locks.
    unsafe {
        command.pre_exec(|| {
            nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)
                .map_err(std::io::Error::from)
        });
    }
}
