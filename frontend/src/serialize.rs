//! A compact binary encoding of [`ModuleInfo`], so a compilation cache can
//! skip decoding and validation the next time it sees the same module bytes.
//!
//! The format is private to this crate version ([`FORMAT_VERSION`] is its
//! first byte): unsigned integers are LEB128, signed ones zig-zag LEB128,
//! float and vector constants fixed little-endian, strings a length plus
//! UTF-8, lists a count plus their items, and byte ranges into the module a
//! start plus a length.
//!
//! [`decode`] treats its input as untrusted: it never panics, bounds every
//! count by the bytes left (so it never allocates more than the input could
//! describe), rejects trailing bytes and non-canonical forms it could not have
//! produced, and checks the module's cheap index invariants (type, function,
//! table, memory and global indices in range, import counts consistent). It
//! does not re-validate function bodies: a payload that passes is as trusted
//! as the place it came from.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use crate::module::{
    ConstExpr, ConstOp, CustomSection, DataMode, DataSegment, ElemItems, ElemMode, ElemSegment, Export,
    FuncBody, Import, ImportDesc, ModuleInfo, Names,
};
use crate::types::{ExternKind, FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};

/// The first byte of every encoding; bumped whenever the layout changes so an
/// old cache entry is rejected instead of misread.
pub const FORMAT_VERSION: u8 = 1;

/// Why [`decode`] rejected its input: a message and the byte offset it refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SerializeError {
    offset: usize,
    message: String,
}

impl SerializeError {
    fn new(offset: usize, message: impl Into<String>) -> SerializeError {
        SerializeError { offset, message: message.into() }
    }

    /// Offset in the encoded bytes where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SerializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid serialized module at offset {:#x}: {}", self.offset, self.message)
    }
}

impl std::error::Error for SerializeError {}

type Result<T> = std::result::Result<T, SerializeError>;

/// Encodes `info`; [`decode`] gives back an equal value.
pub fn encode(info: &ModuleInfo) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(256 + 8 * info.bodies.len()));
    w.u8(FORMAT_VERSION);
    w.len(info.types.len());
    for t in &info.types {
        w.val_types(&t.params);
        w.val_types(&t.results);
    }
    w.len(info.imports.len());
    for i in &info.imports {
        w.str(&i.module);
        w.str(&i.name);
        match &i.desc {
            ImportDesc::Func(t) => {
                w.u8(0);
                w.u32(*t);
            }
            ImportDesc::Table(t) => {
                w.u8(1);
                w.table_type(t);
            }
            ImportDesc::Memory(m) => {
                w.u8(2);
                w.limits(&m.limits);
            }
            ImportDesc::Global(g) => {
                w.u8(3);
                w.global_type(g);
            }
        }
    }
    w.len(info.functions.len());
    info.functions.iter().for_each(|t| w.u32(*t));
    w.u32(info.num_imported_functions);
    w.len(info.tables.len());
    info.tables.iter().for_each(|t| w.table_type(t));
    w.u32(info.num_imported_tables);
    w.len(info.memories.len());
    info.memories.iter().for_each(|m| w.limits(&m.limits));
    w.u32(info.num_imported_memories);
    w.len(info.globals.len());
    info.globals.iter().for_each(|g| w.global_type(g));
    w.u32(info.num_imported_globals);
    w.len(info.global_inits.len());
    info.global_inits.iter().for_each(|e| w.const_expr(e));
    w.len(info.exports.len());
    for e in &info.exports {
        w.str(&e.name);
        w.u8(extern_kind_tag(e.kind));
        w.u32(e.index);
    }
    w.opt_u32(info.start);
    w.len(info.elements.len());
    for s in &info.elements {
        match &s.mode {
            ElemMode::Active { table, offset } => {
                w.u8(0);
                w.u32(*table);
                w.const_expr(offset);
            }
            ElemMode::Passive => w.u8(1),
            ElemMode::Declared => w.u8(2),
        }
        w.u8(ValType::from(s.ty).to_byte());
        match &s.items {
            ElemItems::Functions(f) => {
                w.u8(0);
                w.len(f.len());
                f.iter().for_each(|i| w.u32(*i));
            }
            ElemItems::Exprs(e) => {
                w.u8(1);
                w.len(e.len());
                e.iter().for_each(|e| w.const_expr(e));
            }
        }
    }
    w.len(info.data.len());
    for d in &info.data {
        match &d.mode {
            DataMode::Active { memory, offset } => {
                w.u8(0);
                w.u32(*memory);
                w.const_expr(offset);
            }
            DataMode::Passive => w.u8(1),
        }
        w.range(&d.range);
    }
    w.opt_u32(info.data_count);
    w.len(info.bodies.len());
    info.bodies.iter().for_each(|b| w.range(&b.range));
    w.len(info.custom_sections.len());
    for c in &info.custom_sections {
        w.str(&c.name);
        w.range(&c.range);
    }
    match &info.names.module {
        Some(m) => {
            w.u8(1);
            w.str(m);
        }
        None => w.u8(0),
    }
    w.name_map(&info.names.functions);
    w.len(info.names.locals.len());
    for (f, locals) in &info.names.locals {
        w.u32(*f);
        w.name_map(locals);
    }
    w.0
}

/// Decodes what [`encode`] produced. Anything else (truncated, altered,
/// trailing bytes, another format version, broken invariants) is an error,
/// never a panic.
pub fn decode(bytes: &[u8]) -> Result<ModuleInfo> {
    let mut r = Reader { bytes, pos: 0 };
    let version = r.u8()?;
    if version != FORMAT_VERSION {
        return Err(SerializeError::new(0, format!("format version {version}, expected {FORMAT_VERSION}")));
    }
    // Counts are bounded by the smallest encoding of an item: a function
    // type is two counts, an import two strings, a tag and a byte, and so on.
    let info = ModuleInfo {
        types: r.list(2, |r| Ok(FuncType { params: r.val_types()?, results: r.val_types()? }))?,
        imports: r.list(4, Reader::import)?,
        functions: r.list(1, Reader::u32)?,
        num_imported_functions: r.u32()?,
        tables: r.list(3, Reader::table_type)?,
        num_imported_tables: r.u32()?,
        memories: r.list(2, |r| Ok(MemoryType { limits: r.limits()? }))?,
        num_imported_memories: r.u32()?,
        globals: r.list(2, Reader::global_type)?,
        num_imported_globals: r.u32()?,
        global_inits: r.list(2, Reader::const_expr)?,
        exports: r.list(3, |r| Ok(Export { name: r.str()?, kind: r.extern_kind()?, index: r.u32()? }))?,
        start: r.opt_u32()?,
        elements: r.list(4, Reader::elem_segment)?,
        data: r.list(3, Reader::data_segment)?,
        data_count: r.opt_u32()?,
        bodies: r.list(2, |r| Ok(FuncBody { range: r.range()? }))?,
        custom_sections: r.list(3, |r| Ok(CustomSection { name: r.str()?, range: r.range()? }))?,
        names: r.names()?,
    };
    if r.pos != bytes.len() {
        return Err(SerializeError::new(r.pos, format!("{} trailing bytes", bytes.len() - r.pos)));
    }
    check_invariants(&info).map_err(|m| SerializeError::new(bytes.len(), m))?;
    Ok(info)
}

/// The index invariants validation established, checked again so a decoded
/// module cannot send an engine out of bounds through a plain index.
fn check_invariants(info: &ModuleInfo) -> std::result::Result<(), String> {
    let fits = |what: &str, n: u32, len: usize| {
        if n as usize <= len { Ok(()) } else { Err(format!("{n} imported {what}s but only {len} {what}s")) }
    };
    fits("function", info.num_imported_functions, info.functions.len())?;
    fits("table", info.num_imported_tables, info.tables.len())?;
    fits("memory", info.num_imported_memories, info.memories.len())?;
    fits("global", info.num_imported_globals, info.globals.len())?;
    let ntypes = info.types.len();
    if let Some(t) = info.functions.iter().find(|t| **t as usize >= ntypes) {
        return Err(format!("function type index {t} out of range ({ntypes} types)"));
    }
    // Imports come first in each index space and must match it entry for entry.
    let (mut f, mut t, mut m, mut g) = (0usize, 0usize, 0usize, 0usize);
    for (i, import) in info.imports.iter().enumerate() {
        let ok = match &import.desc {
            ImportDesc::Func(ty) => take(&mut f, info.num_imported_functions, &info.functions, ty),
            ImportDesc::Table(ty) => take(&mut t, info.num_imported_tables, &info.tables, ty),
            ImportDesc::Memory(ty) => take(&mut m, info.num_imported_memories, &info.memories, ty),
            ImportDesc::Global(ty) => take(&mut g, info.num_imported_globals, &info.globals, ty),
        };
        if !ok {
            return Err(format!("import {i} does not match its index space"));
        }
    }
    let counts = [f, t, m, g];
    let declared = [
        info.num_imported_functions,
        info.num_imported_tables,
        info.num_imported_memories,
        info.num_imported_globals,
    ];
    if counts.iter().zip(declared).any(|(c, d)| *c != d as usize) {
        return Err("import counts do not match the imports".into());
    }
    let defined = |len: usize, imported: u32| len - imported as usize;
    if info.global_inits.len() != defined(info.globals.len(), info.num_imported_globals) {
        return Err("one initialiser per defined global expected".into());
    }
    if info.bodies.len() != defined(info.functions.len(), info.num_imported_functions) {
        return Err("one body per defined function expected".into());
    }
    for (i, body) in info.bodies.iter().enumerate() {
        if body.range.is_empty() {
            return Err(format!("body {i} is empty"));
        }
    }
    let (nfuncs, nglobals) = (info.functions.len(), info.globals.len());
    let exprs_ok = |e: &ConstExpr| {
        e.ops.iter().all(|op| match op {
            ConstOp::RefFunc(f) => (*f as usize) < nfuncs,
            ConstOp::GlobalGet(g) => (*g as usize) < nglobals,
            _ => true,
        })
    };
    if !info.global_inits.iter().all(exprs_ok) {
        return Err("global initialiser refers to an unknown function or global".into());
    }
    for e in &info.exports {
        let len = match e.kind {
            ExternKind::Func => nfuncs,
            ExternKind::Table => info.tables.len(),
            ExternKind::Memory => info.memories.len(),
            ExternKind::Global => nglobals,
        };
        if e.index as usize >= len {
            return Err(format!("export `{}` refers to unknown {} {}", e.name, e.kind, e.index));
        }
    }
    if info.start.is_some_and(|s| s as usize >= nfuncs) {
        return Err("unknown start function".into());
    }
    for (i, s) in info.elements.iter().enumerate() {
        let mode_ok = match &s.mode {
            ElemMode::Active { table, offset } => (*table as usize) < info.tables.len() && exprs_ok(offset),
            _ => true,
        };
        let items_ok = match &s.items {
            ElemItems::Functions(f) => f.iter().all(|f| (*f as usize) < nfuncs),
            ElemItems::Exprs(e) => e.iter().all(exprs_ok),
        };
        if !mode_ok || !items_ok {
            return Err(format!("element segment {i} refers to an unknown table, function or global"));
        }
    }
    for (i, d) in info.data.iter().enumerate() {
        if let DataMode::Active { memory, offset } = &d.mode
            && ((*memory as usize) >= info.memories.len() || !exprs_ok(offset))
        {
            return Err(format!("data segment {i} refers to an unknown memory or global"));
        }
    }
    if info.data_count.is_some_and(|n| n as usize != info.data.len()) {
        return Err("data count does not match the data segments".into());
    }
    Ok(())
}

/// Advances `next` over one import of an index space, checking it is still
/// within the imported prefix and equal to the space's entry.
fn take<T: PartialEq>(next: &mut usize, imported: u32, space: &[T], ty: &T) -> bool {
    let i = *next;
    *next += 1;
    i < imported as usize && space.get(i) == Some(ty)
}

fn extern_kind_tag(k: ExternKind) -> u8 {
    match k {
        ExternKind::Func => 0,
        ExternKind::Table => 1,
        ExternKind::Memory => 2,
        ExternKind::Global => 3,
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, b: u8) {
        self.0.push(b);
    }

    fn u64(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(b);
                return;
            }
            self.0.push(b | 0x80);
        }
    }

    fn u32(&mut self, v: u32) {
        self.u64(u64::from(v));
    }

    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }

    fn opt_u32(&mut self, v: Option<u32>) {
        match v {
            Some(v) => {
                self.u8(1);
                self.u32(v);
            }
            None => self.u8(0),
        }
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn range(&mut self, r: &Range<usize>) {
        self.len(r.start);
        self.len(r.end.saturating_sub(r.start));
    }

    fn val_types(&mut self, v: &[ValType]) {
        self.len(v.len());
        v.iter().for_each(|t| self.u8(t.to_byte()));
    }

    fn limits(&mut self, l: &Limits) {
        self.u64(l.min);
        self.opt_u64(l.max);
    }

    fn opt_u64(&mut self, v: Option<u64>) {
        match v {
            Some(v) => {
                self.u8(1);
                self.u64(v);
            }
            None => self.u8(0),
        }
    }

    fn table_type(&mut self, t: &TableType) {
        self.u8(ValType::from(t.element).to_byte());
        self.limits(&t.limits);
    }

    fn global_type(&mut self, g: &GlobalType) {
        self.u8(g.content.to_byte());
        self.u8(u8::from(g.mutable));
    }

    fn const_expr(&mut self, e: &ConstExpr) {
        self.len(e.ops.len());
        for op in e.ops.iter() {
            match *op {
                ConstOp::I32Const(v) => {
                    self.u8(0);
                    self.u32(((v << 1) ^ (v >> 31)) as u32);
                }
                ConstOp::I64Const(v) => {
                    self.u8(1);
                    self.u64(((v << 1) ^ (v >> 63)) as u64);
                }
                ConstOp::F32Const(b) => {
                    self.u8(2);
                    self.0.extend_from_slice(&b.to_le_bytes());
                }
                ConstOp::F64Const(b) => {
                    self.u8(3);
                    self.0.extend_from_slice(&b.to_le_bytes());
                }
                ConstOp::V128Const(b) => {
                    self.u8(4);
                    self.0.extend_from_slice(&b.to_le_bytes());
                }
                ConstOp::RefNull(t) => {
                    self.u8(5);
                    self.u8(ValType::from(t).to_byte());
                }
                ConstOp::RefFunc(f) => {
                    self.u8(6);
                    self.u32(f);
                }
                ConstOp::GlobalGet(g) => {
                    self.u8(7);
                    self.u32(g);
                }
                ConstOp::I32Add => self.u8(8),
                ConstOp::I32Sub => self.u8(9),
                ConstOp::I32Mul => self.u8(10),
                ConstOp::I64Add => self.u8(11),
                ConstOp::I64Sub => self.u8(12),
                ConstOp::I64Mul => self.u8(13),
            }
        }
        self.len(e.offset);
    }

    fn name_map(&mut self, m: &BTreeMap<u32, String>) {
        self.len(m.len());
        for (i, name) in m {
            self.u32(*i);
            self.str(name);
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn eof(&self) -> SerializeError {
        SerializeError::new(self.pos, "unexpected end of input")
    }

    fn u8(&mut self) -> Result<u8> {
        let b = *self.bytes.get(self.pos).ok_or_else(|| self.eof())?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.eof());
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// An unsigned LEB128 of at most `bits` bits, in its shortest form.
    fn leb(&mut self, bits: u32) -> Result<u64> {
        let at = self.pos;
        let mut v = 0u64;
        let mut shift = 0u32;
        loop {
            let b = self.u8()?;
            let low = u64::from(b & 0x7f);
            if shift >= bits || (bits - shift < 7 && low >> (bits - shift) != 0) {
                return Err(SerializeError::new(at, format!("integer too large for {bits} bits")));
            }
            v |= low << shift;
            if b & 0x80 == 0 {
                if b == 0 && shift > 0 {
                    return Err(SerializeError::new(at, "non-canonical integer"));
                }
                return Ok(v);
            }
            shift += 7;
        }
    }

    fn u64(&mut self) -> Result<u64> {
        self.leb(64)
    }

    fn u32(&mut self) -> Result<u32> {
        let v = self.leb(32)?;
        // `leb` bounds the value by 32 bits, so this never fails.
        u32::try_from(v).map_err(|_| SerializeError::new(self.pos, "integer too large"))
    }

    fn usize(&mut self) -> Result<usize> {
        let at = self.pos;
        let v = self.u64()?;
        usize::try_from(v).map_err(|_| SerializeError::new(at, "integer too large for this host"))
    }

    /// A count of items that take at least `min_size` bytes each, bounded by
    /// the bytes left so a forged count cannot make us allocate.
    fn count(&mut self, min_size: usize) -> Result<usize> {
        let at = self.pos;
        let n = self.usize()?;
        if n > self.remaining() / min_size {
            return Err(SerializeError::new(at, format!("count {n} exceeds the remaining input")));
        }
        Ok(n)
    }

    fn list<T>(&mut self, min_size: usize, mut item: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let n = self.count(min_size)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Ok(out)
    }

    fn opt_u32(&mut self) -> Result<Option<u32>> {
        let at = self.pos;
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.u32()?)),
            t => Err(SerializeError::new(at, format!("bad option flag {t}"))),
        }
    }

    fn opt_u64(&mut self) -> Result<Option<u64>> {
        let at = self.pos;
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.u64()?)),
            t => Err(SerializeError::new(at, format!("bad option flag {t}"))),
        }
    }

    fn str(&mut self) -> Result<String> {
        let n = self.count(1)?;
        let at = self.pos;
        let s = self.take(n)?;
        String::from_utf8(s.to_vec()).map_err(|_| SerializeError::new(at, "string is not UTF-8"))
    }

    fn range(&mut self) -> Result<Range<usize>> {
        let at = self.pos;
        let start = self.usize()?;
        let len = self.usize()?;
        let end = start.checked_add(len).ok_or_else(|| SerializeError::new(at, "range overflows"))?;
        Ok(start..end)
    }

    fn val_type(&mut self) -> Result<ValType> {
        let at = self.pos;
        Ok(match self.u8()? {
            0x7f => ValType::I32,
            0x7e => ValType::I64,
            0x7d => ValType::F32,
            0x7c => ValType::F64,
            0x7b => ValType::V128,
            0x70 => ValType::FuncRef,
            0x6f => ValType::ExternRef,
            b => return Err(SerializeError::new(at, format!("unknown value type {b:#x}"))),
        })
    }

    fn ref_type(&mut self) -> Result<RefType> {
        let at = self.pos;
        match self.val_type()? {
            ValType::FuncRef => Ok(RefType::FuncRef),
            ValType::ExternRef => Ok(RefType::ExternRef),
            t => Err(SerializeError::new(at, format!("{t} is not a reference type"))),
        }
    }

    fn val_types(&mut self) -> Result<Box<[ValType]>> {
        Ok(self.list(1, Reader::val_type)?.into_boxed_slice())
    }

    fn limits(&mut self) -> Result<Limits> {
        let at = self.pos;
        let min = self.u64()?;
        let max = self.opt_u64()?;
        if max.is_some_and(|max| max < min) {
            return Err(SerializeError::new(at, "limits minimum greater than maximum"));
        }
        Ok(Limits { min, max })
    }

    fn table_type(&mut self) -> Result<TableType> {
        Ok(TableType { element: self.ref_type()?, limits: self.limits()? })
    }

    fn global_type(&mut self) -> Result<GlobalType> {
        let content = self.val_type()?;
        let at = self.pos;
        let mutable = match self.u8()? {
            0 => false,
            1 => true,
            b => return Err(SerializeError::new(at, format!("bad mutability {b}"))),
        };
        Ok(GlobalType { content, mutable })
    }

    fn extern_kind(&mut self) -> Result<ExternKind> {
        let at = self.pos;
        Ok(match self.u8()? {
            0 => ExternKind::Func,
            1 => ExternKind::Table,
            2 => ExternKind::Memory,
            3 => ExternKind::Global,
            t => return Err(SerializeError::new(at, format!("unknown extern kind {t}"))),
        })
    }

    fn const_expr(&mut self) -> Result<ConstExpr> {
        let ops = self.list(1, |r| {
            let at = r.pos;
            Ok(match r.u8()? {
                0 => {
                    let z = r.u32()?;
                    ConstOp::I32Const((z >> 1) as i32 ^ -((z & 1) as i32))
                }
                1 => {
                    let z = r.u64()?;
                    ConstOp::I64Const((z >> 1) as i64 ^ -((z & 1) as i64))
                }
                2 => ConstOp::F32Const(u32::from_le_bytes(r.fixed()?)),
                3 => ConstOp::F64Const(u64::from_le_bytes(r.fixed()?)),
                4 => ConstOp::V128Const(u128::from_le_bytes(r.fixed()?)),
                5 => ConstOp::RefNull(r.ref_type()?),
                6 => ConstOp::RefFunc(r.u32()?),
                7 => ConstOp::GlobalGet(r.u32()?),
                8 => ConstOp::I32Add,
                9 => ConstOp::I32Sub,
                10 => ConstOp::I32Mul,
                11 => ConstOp::I64Add,
                12 => ConstOp::I64Sub,
                13 => ConstOp::I64Mul,
                t => return Err(SerializeError::new(at, format!("unknown constant instruction {t}"))),
            })
        })?;
        Ok(ConstExpr { ops: ops.into_boxed_slice(), offset: self.usize()? })
    }

    fn import(&mut self) -> Result<Import> {
        let module = self.str()?;
        let name = self.str()?;
        let at = self.pos;
        let desc = match self.u8()? {
            0 => ImportDesc::Func(self.u32()?),
            1 => ImportDesc::Table(self.table_type()?),
            2 => ImportDesc::Memory(MemoryType { limits: self.limits()? }),
            3 => ImportDesc::Global(self.global_type()?),
            t => return Err(SerializeError::new(at, format!("unknown import kind {t}"))),
        };
        Ok(Import { module, name, desc })
    }

    fn elem_segment(&mut self) -> Result<ElemSegment> {
        let at = self.pos;
        let mode = match self.u8()? {
            0 => ElemMode::Active { table: self.u32()?, offset: self.const_expr()? },
            1 => ElemMode::Passive,
            2 => ElemMode::Declared,
            t => return Err(SerializeError::new(at, format!("unknown element mode {t}"))),
        };
        let ty = self.ref_type()?;
        let at = self.pos;
        let items = match self.u8()? {
            0 => ElemItems::Functions(self.list(1, Reader::u32)?.into_boxed_slice()),
            1 => ElemItems::Exprs(self.list(2, Reader::const_expr)?.into_boxed_slice()),
            t => return Err(SerializeError::new(at, format!("unknown element items kind {t}"))),
        };
        Ok(ElemSegment { mode, ty, items })
    }

    fn data_segment(&mut self) -> Result<DataSegment> {
        let at = self.pos;
        let mode = match self.u8()? {
            0 => DataMode::Active { memory: self.u32()?, offset: self.const_expr()? },
            1 => DataMode::Passive,
            t => return Err(SerializeError::new(at, format!("unknown data mode {t}"))),
        };
        Ok(DataSegment { mode, range: self.range()? })
    }

    fn names(&mut self) -> Result<Names> {
        let at = self.pos;
        let module = match self.u8()? {
            0 => None,
            1 => Some(self.str()?),
            t => return Err(SerializeError::new(at, format!("bad module-name flag {t}"))),
        };
        let functions = self.name_map()?;
        let mut locals = BTreeMap::new();
        let n = self.count(2)?;
        let mut last = None;
        for _ in 0..n {
            let at = self.pos;
            let f = self.u32()?;
            if last.is_some_and(|l| l >= f) {
                return Err(SerializeError::new(at, "local names not in increasing function order"));
            }
            last = Some(f);
            locals.insert(f, self.name_map()?);
        }
        Ok(Names { module, functions, locals })
    }

    fn name_map(&mut self) -> Result<BTreeMap<u32, String>> {
        let n = self.count(2)?;
        let mut map = BTreeMap::new();
        let mut last = None;
        for _ in 0..n {
            let at = self.pos;
            let i = self.u32()?;
            if last.is_some_and(|l| l >= i) {
                return Err(SerializeError::new(at, "names not in increasing index order"));
            }
            last = Some(i);
            map.insert(i, self.str()?);
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_constants_round_trip_at_the_extremes() {
        for v in [0, 1, -1, i32::MIN, i32::MAX] {
            let mut w = Writer(Vec::new());
            w.const_expr(&ConstExpr { ops: Box::new([ConstOp::I32Const(v)]), offset: 3 });
            let mut r = Reader { bytes: &w.0, pos: 0 };
            assert_eq!(r.const_expr().expect("i32").ops[0], ConstOp::I32Const(v));
        }
        for v in [0, 1, -1, i64::MIN, i64::MAX] {
            let mut w = Writer(Vec::new());
            w.const_expr(&ConstExpr { ops: Box::new([ConstOp::I64Const(v)]), offset: usize::MAX });
            let mut r = Reader { bytes: &w.0, pos: 0 };
            let e = r.const_expr().expect("i64");
            assert_eq!((e.ops[0], e.offset), (ConstOp::I64Const(v), usize::MAX));
        }
    }
}
