//! Shared set-up of the binary's devnet-based tests.

use rampart_devnet::{Network, NetworkConfig};

/// A devnet on any free port with one registered operator, its files in `dir`.
pub(crate) fn one_operator_devnet(
    runtime: &tokio::runtime::Runtime,
    dir: &std::path::Path,
) -> Network {
    let config =
        NetworkConfig { operators: 1, data_dir: dir.to_path_buf(), port: 0, ..Default::default() };
    runtime.block_on(Network::start(&config, &mut |_| {})).expect("devnet starts")
}
