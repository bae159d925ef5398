//! The `wasi_snapshot_preview1` functions, one file per family, and the
//! table [`crate::add_to_linker`] defines them from: name, Wasm parameter
//! types, implementation. Every function but `proc_exit` returns an `errno`
//! as its single `i32` result.
//!
//! An implementation gets the context, the caller's memory and the raw
//! argument slots, and returns `Ok` or the errno; the glue writes the result.

mod args;
mod clock;
mod fd;
mod path;
mod poll;
mod proc;
mod random;
mod sock;

use zerowasm_runtime::ValType;

use crate::ctx::WasiCtx;
use crate::memory::GuestMemory;
use crate::types::WasiResult;

/// A WASI function body.
pub(crate) type Imp = fn(&mut WasiCtx, &mut GuestMemory<'_>, &[u64]) -> WasiResult<()>;

/// One import of `wasi_snapshot_preview1`.
pub(crate) struct Def {
    pub name: &'static str,
    pub params: &'static [ValType],
    pub imp: Imp,
}

/// Argument `i` as an `i32` (the low 32 bits of its slot).
pub(crate) fn a32(a: &[u64], i: usize) -> u32 {
    a.get(i).map_or(0, |v| *v as u32)
}

/// Argument `i` as an `i64`.
pub(crate) fn a64(a: &[u64], i: usize) -> u64 {
    a.get(i).copied().unwrap_or(0)
}

const I: ValType = ValType::I32;
const L: ValType = ValType::I64;

macro_rules! defs {
    ($($name:ident ( $($t:ident),* ) => $imp:path,)*) => {
        /// Every function except `proc_exit`, which [`crate::add_to_linker`]
        /// defines itself (it has no result and ends the instance).
        pub(crate) const FUNCS: &[Def] = &[$(Def { name: stringify!($name), params: &[$($t),*], imp: $imp },)*];
    };
}

defs! {
    args_get(I, I) => args::args_get,
    args_sizes_get(I, I) => args::args_sizes_get,
    environ_get(I, I) => args::environ_get,
    environ_sizes_get(I, I) => args::environ_sizes_get,
    clock_res_get(I, I) => clock::clock_res_get,
    clock_time_get(I, L, I) => clock::clock_time_get,
    fd_advise(I, L, L, I) => fd::fd_advise,
    fd_allocate(I, L, L) => fd::fd_allocate,
    fd_close(I) => fd::fd_close,
    fd_datasync(I) => fd::fd_datasync,
    fd_fdstat_get(I, I) => fd::fd_fdstat_get,
    fd_fdstat_set_flags(I, I) => fd::fd_fdstat_set_flags,
    fd_fdstat_set_rights(I, L, L) => fd::fd_fdstat_set_rights,
    fd_filestat_get(I, I) => fd::fd_filestat_get,
    fd_filestat_set_size(I, L) => fd::fd_filestat_set_size,
    fd_filestat_set_times(I, L, L, I) => fd::fd_filestat_set_times,
    fd_pread(I, I, I, L, I) => fd::fd_pread,
    fd_prestat_get(I, I) => fd::fd_prestat_get,
    fd_prestat_dir_name(I, I, I) => fd::fd_prestat_dir_name,
    fd_pwrite(I, I, I, L, I) => fd::fd_pwrite,
    fd_read(I, I, I, I) => fd::fd_read,
    fd_readdir(I, I, I, L, I) => fd::fd_readdir,
    fd_renumber(I, I) => fd::fd_renumber,
    fd_seek(I, L, I, I) => fd::fd_seek,
    fd_sync(I) => fd::fd_sync,
    fd_tell(I, I) => fd::fd_tell,
    fd_write(I, I, I, I) => fd::fd_write,
    path_create_directory(I, I, I) => path::path_create_directory,
    path_filestat_get(I, I, I, I, I) => path::path_filestat_get,
    path_filestat_set_times(I, I, I, I, L, L, I) => path::path_filestat_set_times,
    path_link(I, I, I, I, I, I, I) => path::path_link,
    path_open(I, I, I, I, I, L, L, I, I) => path::path_open,
    path_readlink(I, I, I, I, I, I) => path::path_readlink,
    path_remove_directory(I, I, I) => path::path_remove_directory,
    path_rename(I, I, I, I, I, I) => path::path_rename,
    path_symlink(I, I, I, I, I) => path::path_symlink,
    path_unlink_file(I, I, I) => path::path_unlink_file,
    poll_oneoff(I, I, I, I) => poll::poll_oneoff,
    proc_raise(I) => proc::proc_raise,
    sched_yield() => proc::sched_yield,
    random_get(I, I) => random::random_get,
    sock_accept(I, I, I) => sock::sock_accept,
    sock_recv(I, I, I, I, I, I) => sock::sock_recv,
    sock_send(I, I, I, I, I) => sock::sock_send,
    sock_shutdown(I, I) => sock::sock_shutdown,
}

#[cfg(test)]
mod tests;
