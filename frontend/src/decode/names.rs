//! The `name` custom section: module, function and local names. Parsed
//! leniently by the caller: any error drops the names, never the module.

use crate::error::DecodeResult;
use crate::module::Names;
use crate::reader::BinaryReader;
use std::collections::BTreeMap;

pub(super) fn parse(r: &mut BinaryReader<'_>) -> DecodeResult<Names> {
    let mut names = Names::default();
    while !r.eof() {
        let id = r.read_u8()?;
        let size = r.read_size("length out of bounds")?;
        let mut sub = r.sub_reader(size)?;
        match id {
            0 => names.module = Some(sub.read_name()?.to_string()),
            1 => names.functions = name_map(&mut sub)?,
            2 => {
                let n = sub.read_count()?;
                for _ in 0..n {
                    let func = sub.read_var_u32()?;
                    names.locals.insert(func, name_map(&mut sub)?);
                }
            }
            _ => {} // Later subsections (labels, types, ...) are not used yet.
        }
    }
    Ok(names)
}

fn name_map(r: &mut BinaryReader<'_>) -> DecodeResult<BTreeMap<u32, String>> {
    let n = r.read_count()?;
    let mut map = BTreeMap::new();
    for _ in 0..n {
        let idx = r.read_var_u32()?;
        map.insert(idx, r.read_name()?.to_string());
    }
    Ok(map)
}
