//! Services as child processes of the `rampart` binary: what a real deployment runs, one
//! process per daemon and one for the aggregator, each logging to a file in the data
//! directory.

use crate::{Error, Result};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// How long a child may take to open its port, and to exit after SIGTERM.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(15);

/// Which binary to run, and extra environment for every child.
#[derive(Debug, Clone)]
pub struct ChildProcesses {
    /// The `rampart` binary.
    pub binary: PathBuf,
    /// Environment variables set on every child (for example `OTEL_*`).
    pub env: Vec<(String, String)>,
}

/// One running child.
#[derive(Debug)]
pub(crate) struct Child {
    name: String,
    process: tokio::process::Child,
    log: PathBuf,
}

/// A port the OS considers free now (for children that must be told their address).
pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| Error::DataDir { path: "127.0.0.1:0".into(), message: e.to_string() })?;
    Ok(listener.port())
}

impl Child {
    /// Starts `binary args…` logging to `log`, and waits until it listens on `addr`.
    pub(crate) async fn start(
        name: &str,
        how: &ChildProcesses,
        args: &[&str],
        log: &Path,
        addr: SocketAddr,
    ) -> Result<Self> {
        let io = |e: std::io::Error| Error::DataDir {
            path: log.display().to_string(),
            message: e.to_string(),
        };
        let out = std::fs::File::create(log).map_err(io)?;
        let err = out.try_clone().map_err(io)?;
        let mut command = tokio::process::Command::new(&how.binary);
        command
            .args(args)
            .envs(how.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .kill_on_drop(true);
        // No service outlives the devnet, even when it is killed with SIGKILL.
        rampart_chain::anvil::die_with_parent(command.as_std_mut());
        let process = command.spawn().map_err(|e| Error::Child {
            name: name.into(),
            message: format!("cannot start {}: {e}", how.binary.display()),
        })?;
        let mut child = Self { name: name.into(), process, log: log.to_owned() };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(child);
            }
            if let Ok(Some(status)) = child.process.try_wait() {
                return Err(child.failed(&format!("exited with {status} before listening")));
            }
            if Instant::now() > deadline {
                return Err(
                    child.failed(&format!("not listening on {addr} after {START_TIMEOUT:?}"))
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Where its output goes.
    pub(crate) fn log(&self) -> &Path {
        &self.log
    }

    /// SIGTERM, then SIGKILL if it has not exited in time; an unclean exit is an error.
    pub(crate) async fn stop(mut self) -> Result<()> {
        if let Some(pid) = self.process.id() {
            let pid = nix::unistd::Pid::from_raw(pid as i32);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        }
        match tokio::time::timeout(STOP_TIMEOUT, self.process.wait()).await {
            Ok(Ok(status)) if status.success() => Ok(()),
            Ok(Ok(status)) => Err(self.failed(&format!("exited with {status}"))),
            Ok(Err(e)) => Err(self.failed(&e.to_string())),
            Err(_) => {
                let _ = self.process.kill().await;
                Err(self.failed(&format!("still running {STOP_TIMEOUT:?} after SIGTERM")))
            }
        }
    }

    /// An error naming the child, with the end of its log.
    fn failed(&self, what: &str) -> Error {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        Error::Child {
            name: self.name.clone(),
            message: format!("{what}; end of {}:\n{}", self.log.display(), tail.join("\n")),
        }
    }
}
