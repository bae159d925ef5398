//! The streaming module decoder: reads sections in order and validates each
//! item as it arrives (index spaces, limits, constant expressions), then every
//! function body as the code section streams by. One pass, no second walk; a
//! large code section's bodies are validated on several threads ([`code`]).

mod code;
mod names;
mod sections;
mod segments;

use std::collections::HashSet;

use crate::error::{DecodeError, Error, ValidationError};
use crate::features::CoreFeatures;
use crate::module::{CustomSection, ModuleInfo};
use crate::reader::BinaryReader;
use crate::validate::func::FuncValidator;

type Result<T> = std::result::Result<T, Error>;

/// Features this build can actually validate; anything else is refused up front.
const SUPPORTED: CoreFeatures = CoreFeatures::V2.with(CoreFeatures::MULTI_MEMORY);

/// Section ids, in the order the binary format requires.
const ORDER: [u8; 12] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11];

/// Decoder state while streaming through one module.
pub(crate) struct Parser<'a> {
    bytes: &'a [u8],
    features: CoreFeatures,
    module: ModuleInfo,
    /// `C.refs`, indexed by funcidx: set by exports, global initialisers and element segments.
    declared_refs: Vec<bool>,
    export_names: HashSet<&'a str>,
    /// Number of bodies the function section promised (None until it appears).
    declared_bodies: Option<u32>,
    saw_data: bool,
    func_validator: FuncValidator,
}

/// A validation error found past a declared end means the section or body
/// overran its size: that, not the stray bytes' meaning, is the error.
fn past_end_is_size_mismatch(e: Error, end: usize) -> Error {
    match e {
        Error::Validation(v) if v.offset() >= end => DecodeError::new(end, "section size mismatch").into(),
        e => e,
    }
}

/// Decodes and validates `bytes` as a module; see [`crate::validate`].
pub(crate) fn decode_and_validate(bytes: &[u8], features: CoreFeatures) -> Result<ModuleInfo> {
    if !SUPPORTED.contains(features) {
        let extra = features.without(SUPPORTED);
        let names: Vec<&str> =
            CoreFeatures::ALL_NAMED.iter().filter(|(f, _)| extra.contains(*f)).map(|(_, n)| *n).collect();
        return Err(ValidationError::new(
            0,
            format!("unsupported: zerowasm does not implement the {} proposal(s)", names.join(", ")),
        )
        .into());
    }
    let mut p = Parser {
        bytes,
        features,
        module: ModuleInfo::default(),
        declared_refs: Vec::new(),
        export_names: HashSet::new(),
        declared_bodies: None,
        saw_data: false,
        func_validator: FuncValidator::default(),
    };
    p.parse()?;
    Ok(p.module)
}

impl<'a> Parser<'a> {
    fn parse(&mut self) -> Result<()> {
        let mut r = BinaryReader::new(self.bytes);
        self.header(&mut r)?;
        let mut last_order = 0usize;
        while !r.eof() {
            let id_at = r.offset();
            let id = r.read_u8()?;
            let size_at = r.offset();
            let size = r.read_var_u32()? as usize;
            if size > r.remaining() {
                return Err(DecodeError::new(size_at, "length out of bounds").into());
            }
            let start = r.offset();
            let section_end = start + size;
            if id == 0 {
                let mut section = r.sub_reader(size)?;
                self.custom_section(&mut section)?;
                continue;
            }
            let order = ORDER
                .iter()
                .position(|&x| x == id)
                .ok_or_else(|| DecodeError::new(id_at, "malformed section id"))?
                + 1;
            if order <= last_order {
                return Err(DecodeError::new(id_at, "unexpected content after last section").into());
            }
            last_order = order;
            // Like the spec's reference decoder, a section is read up to its own
            // end and only then held to its declared size. Reads stay within the
            // module; what lies past the declared end is a size mismatch, never
            // validated as if it belonged to the section.
            let mut section = BinaryReader::with_offset(&self.bytes[start..], start);
            self.section(id, &mut section).map_err(|e| past_end_is_size_mismatch(e, section_end))?;
            if section.offset() != section_end {
                return Err(
                    DecodeError::new(section_end.min(section.offset()), "section size mismatch").into()
                );
            }
            r.skip(size)?;
        }
        self.finish(r.offset())
    }

    fn section(&mut self, id: u8, r: &mut BinaryReader<'a>) -> Result<()> {
        match id {
            1 => self.type_section(r),
            2 => self.import_section(r),
            3 => self.function_section(r),
            4 => self.table_section(r),
            5 => self.memory_section(r),
            6 => self.global_section(r),
            7 => self.export_section(r),
            8 => self.start_section(r),
            9 => self.element_section(r),
            10 => self.code_section(r),
            11 => self.data_section(r),
            12 => self.data_count_section(r),
            _ => unreachable!("ORDER only holds ids 1..=12"),
        }
    }

    fn header(&self, r: &mut BinaryReader<'_>) -> Result<()> {
        let magic = r.read_bytes(4)?;
        if magic != b"\0asm" {
            return Err(DecodeError::new(0, "magic header not detected").into());
        }
        let version = r.read_bytes(4)?;
        if version != [1, 0, 0, 0] {
            return Err(DecodeError::new(4, "unknown binary version").into());
        }
        Ok(())
    }

    fn finish(&mut self, end: usize) -> Result<()> {
        if self.declared_bodies.unwrap_or(0) != self.module.bodies.len() as u32 {
            return Err(DecodeError::new(end, "function and code section have inconsistent lengths").into());
        }
        if let Some(n) = self.module.data_count
            && !self.saw_data
            && n != 0
        {
            return Err(DecodeError::new(end, "data count and data section have inconsistent lengths").into());
        }
        Ok(())
    }

    fn custom_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let name = r.read_name()?;
        let start = r.offset();
        let end = start + r.remaining();
        if name == "name" {
            // Malformed name sections are ignored, as the spec's appendix allows.
            let mut sub = r.clone();
            self.module.names = names::parse(&mut sub).unwrap_or_default();
        }
        r.skip(r.remaining())?;
        self.module.custom_sections.push(CustomSection { name: name.to_string(), range: start..end });
        Ok(())
    }

    fn mark_declared(&mut self, funcidx: u32) {
        let i = funcidx as usize;
        if i >= self.declared_refs.len() {
            self.declared_refs.resize(self.module.functions.len().max(i + 1), false);
        }
        self.declared_refs[i] = true;
    }

    fn require(&self, at: usize, feature: CoreFeatures, what: &str) -> Result<()> {
        if self.features.contains(feature) {
            Ok(())
        } else {
            Err(ValidationError::new(
                at,
                format!("{what} requires the {} feature, which is not enabled", feature.name()),
            )
            .into())
        }
    }
}
