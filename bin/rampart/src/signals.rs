//! Ctrl-C / SIGTERM for long-running commands.

use tokio::sync::watch;

/// Starts listening for SIGINT and SIGTERM now and returns a receiver that turns `true` on the
/// first one. One listener serves the whole run: tokio keeps the signals handled once a
/// listener existed, so a signal arriving while no listener is registered would be lost.
pub(crate) fn shutdown_channel() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
        match term {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        let _ = tx.send(true);
    });
    rx
}

/// Waits until `rx` says stop.
pub(crate) async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}
