// Rampart gpu-prover kernels: what differs between the two ways this source is compiled.
//
// On a GPU the sources are concatenated and compiled by NVRTC at run time (no CUDA headers, so
// the integer types are declared here). In the test suite the same sources are compiled as host
// C++ (RAMPART_HOST) and every kernel is run thread by thread, so its logic is tested on
// machines without a GPU. Kernels therefore use only: the global thread index, global memory and
// atomicAdd on 32-bit counters; no shared memory, no __syncthreads, no warp intrinsics.

#ifdef RAMPART_HOST
#include <stdint.h>
#define DEV inline
#define DEV_NOINLINE inline
#define KERNEL static void
extern thread_local uint32_t rampart_host_tid;
DEV uint32_t thread_index() { return rampart_host_tid; }
// Host emulation runs one thread at a time, so a plain read-modify-write is atomic.
DEV uint32_t atomicAdd(uint32_t* p, uint32_t v) {
  uint32_t old = *p;
  *p = old + v;
  return old;
}
#else
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
#define DEV __device__ __forceinline__
// Big curve and Fq2 operations are called, not inlined: inlining every addition of every
// kernel multiplied code size (NVRTC + ptxas took minutes) and made the G2 kernels spill.
#define DEV_NOINLINE __device__ __noinline__
#define KERNEL extern "C" __global__ void
DEV uint32_t thread_index() { return blockIdx.x * blockDim.x + threadIdx.x; }
#endif

#define NONE_KEY 0xffffffffu
