//! `rampart devnet` end to end: it starts, prints `ready`, and on SIGINT stops with no process
//! left behind; a second run reuses the operators' keys.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn alive(pid: i32) -> bool {
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok()
}

/// Runs the devnet until `ready`; returns (stdout lines, anvil pid, rampart child).
fn start(data_dir: &std::path::Path) -> (Vec<String>, i32, std::process::Child) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["devnet", "--operators", "2", "--port", "0", "--data-dir"])
        .arg(data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout).lines();
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    for line in reader.by_ref() {
        let line = line.unwrap();
        lines.push(line.clone());
        if line.starts_with("ready") {
            break;
        }
        assert!(Instant::now() < deadline, "devnet did not become ready: {lines:#?}");
    }
    // Keep reading what the devnet prints while it runs and stops.
    std::thread::spawn(move || reader.for_each(drop));
    assert!(lines.last().is_some_and(|l| l.starts_with("ready")), "{lines:#?}");
    let pid_line =
        lines.iter().find(|l| l.contains("anvil pid")).expect("summary names anvil's pid");
    let pid: i32 =
        pid_line.rsplit("anvil pid ").next().unwrap().trim_end_matches(')').parse().unwrap();
    (lines, pid, child)
}

fn stop(mut child: std::process::Child, anvil_pid: i32) {
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "devnet exit status {status}");
    assert!(!alive(anvil_pid), "anvil outlived the devnet");
}

#[test]
fn devnet_starts_reports_ready_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (lines, anvil_pid, child) = start(dir.path());
    assert!(alive(anvil_pid));
    let operators: Vec<&String> = lines.iter().filter(|l| l.contains("stake 100.00 RDT")).collect();
    assert_eq!(operators.len(), 2, "{lines:#?}");
    assert!(dir.path().join("deployment.json").exists());
    assert!(dir.path().join("operators/operator-1/config.toml").exists());
    stop(child, anvil_pid);

    // Same data directory: the same operators (keys are reused).
    let (again, anvil_pid, child) = start(dir.path());
    let addresses = |ls: &[String]| -> Vec<String> {
        ls.iter()
            .filter(|l| l.contains("stake "))
            .map(|l| l.split_whitespace().nth(1).unwrap().to_string())
            .collect()
    };
    assert_eq!(addresses(&lines), addresses(&again));
    stop(child, anvil_pid);
}

/// Processes whose command line mentions `needle` (the services name their config file).
fn processes_mentioning(needle: &str) -> Vec<i32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        if String::from_utf8_lossy(&cmdline).contains(needle) {
            found.push(pid);
        }
    }
    found
}

#[test]
fn services_die_with_a_killed_devnet() {
    let dir = tempfile::tempdir().unwrap();
    let (_, anvil_pid, mut child) = start(dir.path());
    let marker = dir.path().to_str().unwrap().to_owned();
    let services = processes_mentioning(&format!("{marker}/"));
    // The aggregator and two daemons run as processes of their own, with the devnet's configs.
    assert!(services.len() >= 3, "service processes: {services:?}");
    child.kill().unwrap(); // SIGKILL: no clean-up code runs
    child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while services.iter().any(|&p| alive(p)) || alive(anvil_pid) {
        assert!(Instant::now() < deadline, "services outlived a killed devnet");
        std::thread::sleep(Duration::from_millis(50));
    }
}
