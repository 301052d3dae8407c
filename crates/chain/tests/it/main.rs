//! The anvil harness against the real binary: it starts, serves RPC, exposes its dev keys, and
//! leaves no process behind — after a normal drop and after a panic.

use alloy::providers::Provider;
use rampart_chain::anvil::{Anvil, AnvilOptions};
use rampart_chain::provider::connect;

fn alive(pid: u32) -> bool {
    // Signal 0 probes for existence; a reaped child is gone.
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid as i32), None).is_ok()
}

#[tokio::test]
async fn starts_serves_and_dies_with_its_owner() {
    let anvil = Anvil::spawn(&AnvilOptions { chain_id: 4242, ..Default::default() }).unwrap();
    assert_eq!(anvil.keys().len(), 10, "anvil printed its dev keys");
    let provider = connect(&anvil.endpoint(), None).unwrap();
    assert_eq!(provider.get_chain_id().await.unwrap(), 4242);
    let pid = anvil.pid();
    assert!(alive(pid));
    drop(anvil);
    assert!(!alive(pid), "anvil outlived its harness");
}

#[test]
fn is_killed_when_a_panic_unwinds() {
    let (tx, rx) = std::sync::mpsc::channel();
    let result = std::thread::spawn(move || {
        let anvil = Anvil::spawn(&AnvilOptions::default()).unwrap();
        tx.send(anvil.pid()).unwrap();
        panic!("boom");
    })
    .join();
    assert!(result.is_err());
    let pid = rx.recv().unwrap();
    assert!(!alive(pid), "anvil survived a panic");
}

#[test]
fn two_instances_get_different_ports() {
    let a = Anvil::spawn(&AnvilOptions::default()).unwrap();
    let b = Anvil::spawn(&AnvilOptions::default()).unwrap();
    assert_ne!(a.port(), b.port());
}
