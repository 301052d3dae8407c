//! With the `host-kernels` feature (test builds), compiles the CUDA kernel sources as host C++
//! so the test suite can run every kernel thread by thread on machines without a GPU.

fn main() {
    println!("cargo:rerun-if-changed=kernels");
    #[cfg(feature = "host-kernels")]
    cc::Build::new()
        .cpp(true)
        .std("c++17")
        .opt_level(2)
        .flag_if_supported("-Wno-unknown-pragmas")
        .warnings_into_errors(true)
        .file("kernels/host.cpp")
        .compile("rampart_host_kernels");
}
