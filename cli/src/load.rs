//! Reading a module from a file: `.wasm` as is, `.wat` through the `wat`
//! crate (a CLI convenience; the library API takes binary modules only).

use std::path::Path;

/// The module bytes in `path`; `.wat` files are assembled first.
pub fn read_module(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "wat") || !bytes.starts_with(b"\0asm") {
        return wat::parse_bytes(&bytes)
            .map(|b| b.into_owned())
            .map_err(|e| format!("{}: {e}", path.display()));
    }
    Ok(bytes)
}
