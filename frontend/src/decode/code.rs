//! The code section: every function body's extent, then its validation —
//! in order on the decoding thread, or, for a large section on a machine
//! with several cores, on that many threads taking bodies from a shared
//! counter. Either way the error reported is the one the in-order walk
//! meets first, so results do not depend on the thread count.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Parser, Result, past_end_is_size_mismatch};
use crate::error::{DecodeError, Error};
use crate::module::FuncBody;
use crate::reader::BinaryReader;
use crate::validate::func::{FuncContext, FuncValidator};

/// Body bytes below which validation stays on the decoding thread: starting
/// threads costs more than validating a small module.
const PARALLEL_MIN_BYTES: usize = 64 * 1024;

/// Bodies a thread takes from the shared counter at a time.
const CHUNK: usize = 8;

impl<'a> Parser<'a> {
    pub(super) fn code_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let at = r.offset();
        let count = r.read_count()?;
        // Fewer bodies than functions is reported after the last section, as the
        // reference decoder does; more would index past the function space.
        if count > self.declared_bodies.unwrap_or(0) {
            return Err(DecodeError::new(at, "function and code section have inconsistent lengths").into());
        }
        self.declared_refs.resize(self.module.functions.len(), false);
        // Each body's extent first. A body whose size runs past the section is
        // still validated (to the end of the module, as the in-order walk did)
        // before that overrun is reported.
        let mut bodies = Vec::with_capacity(count as usize);
        let mut overrun: Option<Error> = None;
        for _ in 0..count {
            let size = r.read_size("length out of bounds");
            let size = match size {
                Ok(size) => size,
                Err(e) => {
                    overrun = Some(e.into());
                    break;
                }
            };
            let start = r.offset();
            bodies.push(FuncBody { range: start..start + size });
            if let Err(e) = r.skip(size) {
                overrun = Some(e.into());
                break;
            }
        }
        let cx =
            FuncContext { module: &self.module, declared_refs: &self.declared_refs, features: self.features };
        let first = self.module.num_imported_functions;
        let total: usize = bodies.iter().map(|b| b.range.len()).sum();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(bodies.len() / CHUNK);
        let failure = if threads > 1 && total >= PARALLEL_MIN_BYTES {
            validate_in_parallel(&cx, self.bytes, first, &bodies, threads, &mut self.func_validator)
        } else {
            bodies.iter().enumerate().find_map(|(i, b)| {
                validate_body(&mut self.func_validator, &cx, self.bytes, first + i as u32, b).err()
            })
        };
        if let Some(e) = failure.or(overrun) {
            return Err(e);
        }
        self.module.bodies = bodies;
        Ok(())
    }
}

/// Validates one body, read to its end and then held to its size (as sections are).
fn validate_body(
    validator: &mut FuncValidator,
    cx: &FuncContext<'_>,
    bytes: &[u8],
    funcidx: u32,
    body: &FuncBody,
) -> Result<()> {
    let (start, end) = (body.range.start, body.range.end);
    let mut reader = BinaryReader::with_offset(bytes.get(start..).unwrap_or(&[]), start);
    validator.validate(cx, funcidx, &mut reader).map_err(|e| past_end_is_size_mismatch(e, end))?;
    if reader.offset() != end {
        return Err(DecodeError::new(end.min(reader.offset()), "section size mismatch").into());
    }
    Ok(())
}

/// Validates `bodies` on `threads` threads (the caller's included, with
/// `own`) and returns the error of the lowest failing body, if any. Bodies
/// after a known failure are skipped: their errors could not be reported.
fn validate_in_parallel(
    cx: &FuncContext<'_>,
    bytes: &[u8],
    first: u32,
    bodies: &[FuncBody],
    threads: usize,
    own: &mut FuncValidator,
) -> Option<Error> {
    let next = AtomicUsize::new(0);
    // The lowest failing index so far (`usize::MAX`: none) and its error.
    let lowest = AtomicUsize::new(usize::MAX);
    let failure: Mutex<Option<(usize, Error)>> = Mutex::new(None);
    let work = |validator: &mut FuncValidator| loop {
        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
        if start >= bodies.len() || start > lowest.load(Ordering::Relaxed) {
            break;
        }
        for (i, body) in bodies.iter().enumerate().skip(start).take(CHUNK) {
            if let Err(e) = validate_body(validator, cx, bytes, first + i as u32, body) {
                lowest.fetch_min(i, Ordering::Relaxed);
                // A poisoned lock only means another worker panicked; its state is still a plain Option.
                let mut f = failure.lock().unwrap_or_else(|p| p.into_inner());
                if f.as_ref().is_none_or(|(j, _)| i < *j) {
                    *f = Some((i, e));
                }
                break;
            }
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            // A thread that cannot be spawned leaves its share to the others.
            let _ = std::thread::Builder::new().spawn_scoped(s, || work(&mut FuncValidator::default()));
        }
        work(own);
    });
    failure.into_inner().unwrap_or_else(|p| p.into_inner()).map(|(_, e)| e)
}
