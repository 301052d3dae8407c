//! A throwaway PostgreSQL server for tests and benchmarks.
//!
//! `TempPostgres::start()` runs `initdb` into a fresh temporary directory and `pg_ctl start` on a
//! free TCP port of 127.0.0.1 (trust authentication, user `postgres`); dropping it stops the
//! server and deletes the directory. The server refuses to run as root, so when the tests run as
//! root, both commands run as the `postgres` system user (or `nobody` if there is none), which
//! owns the directory.
//!
//! The binaries are taken from `$RAMPART_PG_BIN` if it is set, else looked up in `$PATH`, then
//! the usual install locations (`/usr/local/bin`, `/usr/lib/postgresql/<newest>/bin`, `/usr/pgsql-*/bin`, …).
//! When there are none, or the server does not start, this panics with what it tried: the
//! Postgres tests fail; they never skip.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A running throwaway server.
pub struct TempPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    run_as: Option<(u32, u32)>,
    port: u16,
}

impl TempPostgres {
    /// Creates a cluster and starts it. Panics with a diagnosis on failure.
    pub fn start() -> Self {
        let bin = find_bin_dir().unwrap_or_else(|searched| {
            panic!(
                "PostgreSQL server binaries (initdb, pg_ctl) not found; searched {searched}. \
                 Install them (Debian/Ubuntu: `apt-get install -y postgresql`) or set \
                 RAMPART_PG_BIN to the directory holding them. The Postgres tests cannot run \
                 without a server and fail rather than skip."
            )
        });
        // A directory of symlinks (e.g. /usr/local/bin) may lack the client tools: use the
        // directory the real initdb lives in, which has them all.
        let bin = std::fs::canonicalize(bin.join("initdb"))
            .ok()
            .and_then(|real| real.parent().map(Path::to_path_buf))
            .unwrap_or(bin);
        let run_as = server_user();
        let dir = if run_as.is_some() {
            // The server user must be able to reach the directory: /tmp, not $TMPDIR, which
            // may sit under root's home.
            tempfile::Builder::new().prefix("rampart-pg-").tempdir_in("/tmp")
        } else {
            tempfile::Builder::new().prefix("rampart-pg-").tempdir()
        }
        .expect("creating a temporary directory for PostgreSQL");
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .expect("handing the temporary directory to the PostgreSQL user");
        }
        let mut pg = Self { dir, bin, run_as, port: 0 };
        pg.initdb();
        let mut last_error = String::new();
        for _ in 0..5 {
            pg.port = free_port();
            match pg.pg_ctl_start() {
                Ok(()) => return pg,
                // Most likely the port was taken between choosing and binding it: retry.
                Err(e) => last_error = e,
            }
        }
        panic!("PostgreSQL did not start (5 attempts): {last_error}");
    }

    /// The TCP port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `db` (trust authentication, user `postgres`).
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates database `name` (with `createdb`) and returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        let out = self
            .command("createdb")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", name])
            .output()
            .unwrap_or_else(|e| panic!("running createdb: {e}"));
        assert!(
            out.status.success(),
            "createdb {name} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        self.url(name)
    }

    /// Kills the server the way a crash would (`pg_ctl stop -m immediate`: no shutdown
    /// checkpoint; the next start replays the WAL) and starts it again on the same port.
    pub fn crash_and_restart(&self) {
        self.pg_ctl(&["stop", "-m", "immediate", "-w"]).expect("stopping PostgreSQL (immediate)");
        self.pg_ctl_start().expect("restarting PostgreSQL after an immediate stop");
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(program));
        // Settings of an outer cluster must not leak in.
        for var in ["PGDATA", "PGPORT", "PGHOST", "PGUSER", "PGDATABASE", "PGOPTIONS"] {
            cmd.env_remove(var);
        }
        cmd.env("LC_ALL", "C").current_dir(self.dir.path());
        if let Some((uid, gid)) = self.run_as {
            // std drops root's supplementary groups before switching user.
            cmd.uid(uid).gid(gid);
        }
        cmd
    }

    fn initdb(&self) {
        let out = self
            .command("initdb")
            .arg("-D")
            .arg(self.data())
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"])
            .args(["--no-instructions", "--no-sync"])
            .output()
            .unwrap_or_else(|e| panic!("running {}: {e}", self.bin.join("initdb").display()));
        assert!(
            out.status.success(),
            "initdb failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c shared_buffers=16MB \
             -c max_connections=60 -c fsync=on -c synchronous_commit=on",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log");
        let started = self.pg_ctl(&[
            "start",
            "-w",
            "-t",
            "60",
            "-l",
            log.to_str().expect("utf-8 temp path"),
            "-o",
            &options,
        ]);
        started.map_err(|e| {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            format!("{e}\nserver log:\n{log}")
        })
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), String> {
        let out = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(args)
            .output()
            .map_err(|e| format!("running {}: {e}", self.bin.join("pg_ctl").display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "pg_ctl {} failed ({}): {}{}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        // The data is thrown away: no need for a clean shutdown.
        let _ = self.pg_ctl(&["stop", "-m", "immediate", "-w", "-t", "30"]);
    }
}

/// The user to run the server as: `None` unless we are root.
fn server_user() -> Option<(u32, u32)> {
    if !nix::unistd::geteuid().is_root() {
        return None;
    }
    for name in ["postgres", "nobody"] {
        if let Ok(Some(user)) = nix::unistd::User::from_name(name) {
            return Some((user.uid.as_raw(), user.gid.as_raw()));
        }
    }
    panic!(
        "running as root, and neither a `postgres` nor a `nobody` user exists to run the \
         PostgreSQL server as (it refuses root); create one: `useradd --system postgres`"
    )
}

/// A directory holding both `initdb` and `pg_ctl`, or a description of where we looked.
fn find_bin_dir() -> Result<PathBuf, String> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os("RAMPART_PG_BIN") {
        // An explicit choice: no fallback to whatever else is installed.
        let dir = PathBuf::from(dir);
        return if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
            Ok(dir)
        } else {
            Err(format!("RAMPART_PG_BIN={} (no initdb and pg_ctl there)", dir.display()))
        };
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path));
    }
    candidates.push("/usr/local/bin".into());
    candidates.extend(versioned_bin_dirs("/usr/lib/postgresql", ""));
    candidates.push("/usr/local/pgsql/bin".into());
    candidates.extend(versioned_bin_dirs("/usr", "pgsql-"));
    candidates.extend(["/opt/homebrew/bin".into(), "/usr/bin".into()]);
    candidates.retain(|dir| !dir.as_os_str().is_empty());
    let found = candidates
        .iter()
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
        .cloned();
    found.ok_or_else(|| {
        candidates.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
    })
}

/// `PARENT/NAME/bin` for each entry `NAME` of `parent` that starts with `prefix`, newest
/// (highest numeric version in the name) first.
fn versioned_bin_dirs(parent: &str, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else { return Vec::new() };
    let mut dirs: Vec<(Vec<u64>, PathBuf)> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(prefix))
        .map(|name| {
            let version = name
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|part| part.parse().ok())
                .collect();
            (version, Path::new(parent).join(name).join("bin"))
        })
        .collect();
    dirs.sort_by(|a, b| b.0.cmp(&a.0));
    dirs.into_iter().map(|(_, dir)| dir).collect()
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding a free port");
    let port = listener.local_addr().expect("local address").port();
    drop(listener);
    port
}
