//! Standard streams as WASI files: any `Read` for stdin, any `Write` for
//! stdout and stderr, plus [`OutputBuffer`], a shareable in-memory sink for
//! embedders and tests that want to inspect what a guest printed.

use std::any::Any;
use std::io::{Read, Write};
use std::os::fd::RawFd;
use std::sync::{Arc, Mutex};

use crate::fs::WasiFile;
use crate::types::{Errno, Filestat, Filetype, WasiResult};

/// A readable stream (stdin), with the host descriptor behind it when there
/// is one (`poll_oneoff` probes it; without one the stream counts as always
/// ready).
pub struct ReadStream {
    pub(crate) reader: Box<dyn Read + Send>,
    /// Valid while `reader` lives: it is the descriptor `reader` owns.
    pub(crate) fd: Option<RawFd>,
}

/// A writable stream (stdout, stderr).
pub struct WriteStream(pub(crate) Box<dyn Write + Send>);

fn stream_stat() -> Filestat {
    Filestat { filetype: Filetype::Unknown as u8, nlink: 1, ..Filestat::default() }
}

impl WasiFile for ReadStream {
    fn filetype(&self) -> Filetype {
        Filetype::Unknown
    }
    fn read(&mut self, buf: &mut [u8]) -> WasiResult<usize> {
        Ok(self.reader.read(buf)?)
    }
    fn write(&mut self, _buf: &[u8]) -> WasiResult<usize> {
        Err(Errno::Badf)
    }
    fn stat(&self) -> WasiResult<Filestat> {
        Ok(stream_stat())
    }
    fn sync(&mut self) -> WasiResult<()> {
        Ok(())
    }
    fn poll_fd(&self) -> Option<RawFd> {
        self.fd
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl WasiFile for WriteStream {
    fn filetype(&self) -> Filetype {
        Filetype::Unknown
    }
    fn read(&mut self, _buf: &mut [u8]) -> WasiResult<usize> {
        Err(Errno::Badf)
    }
    fn write(&mut self, buf: &[u8]) -> WasiResult<usize> {
        self.0.write_all(buf)?;
        Ok(buf.len())
    }
    fn stat(&self) -> WasiResult<Filestat> {
        Ok(stream_stat())
    }
    fn sync(&mut self) -> WasiResult<()> {
        Ok(self.0.flush()?)
    }
    fn flush(&mut self) -> WasiResult<()> {
        Ok(self.0.flush()?)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// An in-memory output stream; clones share the same bytes, so keep one to
/// read what the guest wrote through the other.
#[derive(Clone, Default)]
pub struct OutputBuffer(Arc<Mutex<Vec<u8>>>);

impl OutputBuffer {
    /// An empty buffer.
    pub fn new() -> OutputBuffer {
        OutputBuffer::default()
    }
    /// Everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        self.0.lock().map(|v| v.clone()).unwrap_or_else(|e| e.into_inner().clone())
    }
    /// Everything written so far, as (lossy) UTF-8.
    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(&self.contents()).into_owned()
    }
}

impl Write for OutputBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut g = self.0.lock().unwrap_or_else(|e| e.into_inner());
        g.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
