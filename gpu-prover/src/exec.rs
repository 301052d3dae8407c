//! Where kernels run: a CUDA device through cudarc, or (test builds) the host emulation that
//! runs the same kernel sources thread by thread. The CUDA backend's orchestration is written
//! once against this interface, so the emulation tests exactly the code a GPU runs.
#![allow(unsafe_code)]

use std::collections::HashMap;
use std::sync::Arc;

use cudarc::driver::{
    CudaContext, CudaFunction, CudaModule, CudaSlice, CudaStream, LaunchConfig, PushKernelArg,
};

use crate::error::{ProverError, Result};
use crate::kernels;

/// Threads per block for every launch.
const BLOCK: u32 = 256;

/// A device buffer of 32-bit words.
pub(crate) enum Buf {
    Cuda(CudaSlice<u32>),
    #[cfg(feature = "host-kernels")]
    Host(host::HostBuf),
}

/// A kernel argument, laid out as `cuLaunchKernel` expects.
pub(crate) enum Arg<'a> {
    /// A whole buffer.
    Buf(&'a Buf),
    /// A buffer from a word offset on.
    At(&'a Buf, usize),
    /// A 32-bit integer.
    U32(u32),
}

/// A CUDA context with the kernels loaded and two streams (lanes), so that uploads and work for
/// independent parts of a proof overlap.
pub(crate) struct CudaExec {
    lanes: [Arc<CudaStream>; 2],
    _module: Arc<CudaModule>,
    functions: HashMap<&'static str, CudaFunction>,
}

impl CudaExec {
    /// Opens device `ordinal`, compiles the kernels for its architecture, loads them.
    pub(crate) fn open(ordinal: usize) -> Result<(Self, String)> {
        let ctx = CudaContext::new(ordinal)?;
        let (major, minor) = ctx.compute_capability()?;
        let name = ctx.name()?;
        let ptx = kernels::compile(kernels::arch_for(major, minor))?;
        let module = ctx.load_module(ptx)?;
        let mut functions = HashMap::new();
        for &k in kernels::KERNELS {
            functions.insert(k, module.load_function(k)?);
        }
        let lanes = [ctx.new_stream()?, ctx.new_stream()?];
        let (free, total) = ctx.mem_get_info()?;
        let label =
            format!("{name} (sm_{major}{minor}, {} of {} MiB free)", free >> 20, total >> 20);
        Ok((CudaExec { lanes, _module: module, functions }, label))
    }
}

/// The executor.
pub(crate) enum Exec {
    Cuda(CudaExec),
    #[cfg(feature = "host-kernels")]
    Host,
}

fn foreign() -> ProverError {
    ProverError::Cuda("buffer belongs to another executor".into())
}

impl Exec {
    /// Copies `words` to the device.
    pub(crate) fn upload(&self, lane: usize, words: &[u32]) -> Result<Buf> {
        match self {
            Exec::Cuda(c) => Ok(Buf::Cuda(c.lanes[lane].clone_htod(words)?)),
            #[cfg(feature = "host-kernels")]
            Exec::Host => Ok(Buf::Host(host::HostBuf::from_words(words))),
        }
    }

    /// A zero-filled buffer of `len` words (at least one word, so it has an address).
    pub(crate) fn zeros(&self, lane: usize, len: usize) -> Result<Buf> {
        let len = len.max(1);
        match self {
            Exec::Cuda(c) => Ok(Buf::Cuda(c.lanes[lane].alloc_zeros::<u32>(len)?)),
            #[cfg(feature = "host-kernels")]
            Exec::Host => Ok(Buf::Host(host::HostBuf::from_words(&vec![0; len]))),
        }
    }

    /// Copies `len` words from `offset` back to the host (waits for the lane's work).
    pub(crate) fn download(
        &self,
        lane: usize,
        buf: &Buf,
        offset: usize,
        len: usize,
    ) -> Result<Vec<u32>> {
        match (self, buf) {
            (Exec::Cuda(c), Buf::Cuda(s)) => {
                Ok(c.lanes[lane].clone_dtoh(&s.slice(offset..offset + len))?)
            }
            #[cfg(feature = "host-kernels")]
            (Exec::Host, Buf::Host(h)) => Ok(h.read(offset, len)),
            #[cfg(feature = "host-kernels")]
            _ => Err(foreign()),
        }
    }

    /// Runs `kernel` over `threads` threads on `lane`.
    pub(crate) fn launch(
        &self,
        lane: usize,
        kernel: &'static str,
        threads: u32,
        args: &[Arg<'_>],
    ) -> Result<()> {
        if threads == 0 {
            return Ok(());
        }
        match self {
            Exec::Cuda(c) => {
                let f = c
                    .functions
                    .get(kernel)
                    .ok_or_else(|| ProverError::Cuda(format!("kernel {kernel} not loaded")))?;
                let mut views = Vec::with_capacity(args.len());
                for a in args {
                    views.push(match a {
                        Arg::At(Buf::Cuda(s), offset) => Some(s.slice(*offset..)),
                        #[cfg(feature = "host-kernels")]
                        Arg::At(Buf::Host(_), _) | Arg::Buf(Buf::Host(_)) => return Err(foreign()),
                        _ => None,
                    });
                }
                let mut b = c.lanes[lane].launch_builder(f);
                for (a, view) in args.iter().zip(&views) {
                    match (a, view) {
                        (Arg::Buf(Buf::Cuda(s)), _) => b.arg(s),
                        (Arg::At(..), Some(v)) => b.arg(v),
                        (Arg::U32(x), _) => b.arg(x),
                        _ => return Err(foreign()),
                    };
                }
                let cfg = LaunchConfig {
                    grid_dim: (threads.div_ceil(BLOCK), 1, 1),
                    block_dim: (BLOCK, 1, 1),
                    shared_mem_bytes: 0,
                };
                // SAFETY: every kernel in kernels::KERNELS takes exactly the arguments its
                // callers in cuda.rs pass (pointers to u32 words, u32 scalars), bounds-checks its
                // thread index against the sizes passed, and the buffers outlive the launch
                // (cudarc orders frees after the stream's pending work).
                unsafe { b.launch(cfg) }?;
                Ok(())
            }
            #[cfg(feature = "host-kernels")]
            Exec::Host => host::launch(kernel, threads, args),
        }
    }
}

#[cfg(feature = "host-kernels")]
pub(crate) mod host {
    //! The host emulation: kernels compiled as C++ by build.rs, run one thread at a time.

    use std::cell::UnsafeCell;
    use std::ffi::{CString, c_void};
    use std::sync::Mutex;

    use super::Arg;
    use crate::error::{ProverError, Result};

    unsafe extern "C" {
        fn rampart_host_launch(
            name: *const std::ffi::c_char,
            threads: u32,
            args: *mut *mut c_void,
        ) -> i32;
    }

    /// Every read and write of host buffers happens under this lock: launches, uploads and
    /// downloads never overlap, as on a single in-order stream.
    static LOCK: Mutex<()> = Mutex::new(());

    /// Host memory standing in for device memory; kernels write it through raw pointers.
    pub(crate) struct HostBuf(Box<[UnsafeCell<u32>]>);

    // SAFETY: the cells are only read or written while LOCK is held (from_words builds a fresh
    // buffer no one else sees yet), so no two threads ever touch them at once.
    unsafe impl Sync for HostBuf {}

    impl HostBuf {
        pub(crate) fn from_words(words: &[u32]) -> Self {
            HostBuf(words.iter().map(|&w| UnsafeCell::new(w)).collect())
        }

        pub(crate) fn read(&self, offset: usize, len: usize) -> Vec<u32> {
            let _guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
            // SAFETY: LOCK is held, so no kernel is writing these cells.
            self.0[offset..offset + len].iter().map(|c| unsafe { *c.get() }).collect()
        }

        fn ptr(&self, offset: usize) -> *mut u32 {
            assert!(offset <= self.0.len(), "offset past the buffer");
            // UnsafeCell<u32> has u32's layout, so the cells are a contiguous u32 array.
            self.0.as_ptr().wrapping_add(offset) as *mut u32
        }
    }

    pub(crate) fn launch(kernel: &'static str, threads: u32, args: &[Arg<'_>]) -> Result<()> {
        let mut pointers: Vec<*mut u32> = Vec::with_capacity(args.len());
        let mut scalars: Vec<u32> = Vec::with_capacity(args.len());
        for a in args {
            match a {
                Arg::Buf(super::Buf::Host(h)) => pointers.push(h.ptr(0)),
                Arg::At(super::Buf::Host(h), offset) => pointers.push(h.ptr(*offset)),
                Arg::U32(x) => {
                    pointers.push(std::ptr::null_mut());
                    scalars.push(*x);
                }
                _ => return Err(super::foreign()),
            }
        }
        // Each argument slot points at the value: a pointer for buffers, the u32 for scalars.
        let mut next_scalar = 0;
        let mut slots: Vec<*mut c_void> = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            slots.push(match a {
                Arg::U32(_) => {
                    let p = scalars.as_mut_ptr().wrapping_add(next_scalar) as *mut c_void;
                    next_scalar += 1;
                    p
                }
                _ => pointers.as_mut_ptr().wrapping_add(i) as *mut c_void,
            });
        }
        let name = CString::new(kernel).map_err(|e| ProverError::Cuda(e.to_string()))?;
        let _guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
        // SAFETY: `slots` holds one valid pointer per kernel parameter, to a value of the
        // parameter's type (a buffer address or a u32) that outlives the call; the buffers are
        // large enough for the sizes the caller passes (the same contract as a CUDA launch);
        // LOCK gives the kernel exclusive access to all host buffers.
        let rc = unsafe { rampart_host_launch(name.as_ptr(), threads, slots.as_mut_ptr()) };
        if rc != 0 {
            return Err(ProverError::Cuda(format!("no host kernel named {kernel}")));
        }
        Ok(())
    }
}
