//! Reads the text that [`crate::printer`] writes back into a [`Function`], so
//! tests (and the CLI's `ir` command) can state IR as text: parse, transform,
//! print, compare.
//!
//! Value and block numbers are kept as written: `v7` in the text is `v7` in
//! the function, and numbers the text skips become unused entities (blocks
//! outside the layout; values defined by one unplaced instruction). Hence
//! `print(parse(text)) == text` for anything the printer wrote. The only
//! requirement beyond the printer's own output is that the results of one
//! instruction and the parameters of one block are numbered in increasing
//! order, which the DFG always does.
//!
//! Builtins are named in the text (`builtin0 = memory_grow sig1`), and
//! [`BuiltinData::name`] is a `&'static str`: the parser interns each distinct
//! name once for the life of the process (a leak bounded by the set of names
//! ever parsed). `call_builtin NAME(…)` refers to the first builtin declared
//! with that name. The parser is test and tooling code; the engines never
//! call it.
//!
//! Errors are [`ParseError`]s with a 1-based line number; malformed input never
//! panics.

use std::collections::HashMap;
use std::fmt;

use cranelift_entity::EntityRef;

use crate::codes::{FloatCC, IntCC, TrapCode};
use crate::entities::{Block, FuncRef, Inst, SigRef, Value};
use crate::function::{Function, SourceLoc};
use crate::instructions::{BlockCall, BuiltinData, ExtFuncData, InstData, JumpTableData, LaneShape, Opcode};
use crate::types::Type;

/// Value and block numbers at or above this are rejected, so a typo like
/// `v4000000000` cannot make the parser allocate gigabytes of filler.
pub const MAX_ENTITY_NUMBER: u32 = 1 << 24;

/// Text that is not a function in the printer's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

type PResult<T> = Result<T, ParseError>;

fn err<T>(line: usize, message: impl Into<String>) -> PResult<T> {
    Err(ParseError { line, message: message.into() })
}

mod cursor;
mod syntax;

use cursor::{Cursor, Tok, entity_number};
use syntax::{LANE_SHAPES, SYNTAX, Syntax, by_name, intern};

#[derive(Clone, Copy)]
enum DefSite {
    Param(Block),
    Result(Inst),
}

struct Parser {
    func: Function,
    /// Definition of each value number, with its type and line.
    defs: Vec<Option<(DefSite, Type, usize)>>,
    /// Blocks given a header, and the first line referring to each block.
    block_defined: Vec<bool>,
    block_refs: Vec<(Block, usize)>,
    /// Placed instructions with their lines, for the use check.
    insts: Vec<(Inst, usize)>,
    builtin_names: HashMap<&'static str, crate::entities::BuiltinRef>,
}

/// Parses one function in the printer's text form.
pub fn parse_function(text: &str) -> Result<Function, ParseError> {
    let mut p = Parser {
        func: Function::default(),
        defs: Vec::new(),
        block_defined: Vec::new(),
        block_refs: Vec::new(),
        insts: Vec::new(),
        builtin_names: HashMap::new(),
    };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with(';'));
    let Some((n, header)) = lines.next() else { return err(1, "expected `function %name(…) {`") };
    p.header(n, header)?;
    let mut current: Option<Block> = None;
    let mut closed = None;
    for (n, line) in lines.by_ref() {
        if line == "}" {
            closed = Some(n);
            break;
        }
        if line.starts_with("block") && line.ends_with(':') {
            current = Some(p.block_header(n, line)?);
        } else if let Some(block) = current {
            p.inst_line(n, line, block)?;
        } else {
            p.decl(n, line)?;
        }
    }
    let Some(last) = closed else { return err(text.lines().count().max(1), "missing `}` at the end") };
    if let Some((n, _)) = lines.next() {
        return err(n, "text after the end of the function");
    }
    p.finish(last)
}

impl Parser {
    fn header(&mut self, n: usize, line: &str) -> PResult<()> {
        let body = line
            .strip_prefix("function %")
            .and_then(|r| r.strip_suffix('{'))
            .map(str::trim_end)
            .ok_or_else(|| ParseError { line: n, message: "expected `function %name(…) {`".into() })?;
        let Some(open) = body.rfind('(') else { return err(n, "expected a signature after the name") };
        self.func.name = body[..open].to_string();
        let mut c = Cursor::new(&body[open..], n);
        self.func.signature = c.signature()?;
        c.end()
    }

    fn sig_ref(&self, c: &mut Cursor<'_>) -> PResult<SigRef> {
        let n = c.entity("sig", "a signature")? as usize;
        if n >= self.func.dfg.signatures.len() {
            return c.fail(format!("sig{n} is not declared"));
        }
        Ok(SigRef::new(n))
    }

    /// `sigN = (…) -> …`, `fnN = %name sigM`, `builtinN = name sigM`.
    fn decl(&mut self, n: usize, line: &str) -> PResult<()> {
        let Some((lhs, rhs)) = line.split_once(" = ") else {
            return err(n, format!("expected a declaration or a block header, found `{line}`"));
        };
        let dfg = &mut self.func.dfg;
        let check = |number: Option<u32>, len: usize, what: &str| -> PResult<()> {
            match number {
                Some(k) if k as usize == len => Ok(()),
                Some(_) => err(n, format!("{lhs} is out of order: the next {what} is {what}{len}")),
                None => err(n, format!("expected `{what}N`, found `{lhs}`")),
            }
        };
        if lhs.starts_with("sig") {
            check(entity_number(lhs, "sig"), dfg.signatures.len(), "sig")?;
            let mut c = Cursor::new(rhs, n);
            let sig = c.signature()?;
            c.end()?;
            dfg.signatures.push(sig);
        } else if lhs.starts_with("fn") {
            check(entity_number(lhs, "fn"), dfg.ext_funcs.len(), "fn")?;
            let (name, sig) = rhs
                .strip_prefix('%')
                .and_then(|r| r.rsplit_once(' '))
                .ok_or_else(|| ParseError { line: n, message: "expected `%name sigN`".into() })?;
            let sig = self.sig_ref(&mut Cursor::new(sig, n))?;
            let index = self.func.dfg.ext_funcs.len() as u32;
            self.func.dfg.ext_funcs.push(ExtFuncData { index, sig, name: name.to_string() });
        } else if lhs.starts_with("builtin") {
            check(entity_number(lhs, "builtin"), dfg.builtins.len(), "builtin")?;
            let mut c = Cursor::new(rhs, n);
            let name = intern(c.word("a builtin name")?);
            let sig = self.sig_ref(&mut c)?;
            c.end()?;
            let index = self.func.dfg.builtins.len() as u32;
            let b = self.func.dfg.builtins.push(BuiltinData { index, sig, name });
            self.builtin_names.entry(name).or_insert(b);
        } else {
            return err(n, format!("unknown declaration `{lhs}`"));
        }
        Ok(())
    }

    fn block(&mut self, number: u32, line: usize) -> Block {
        while self.func.dfg.num_blocks() <= number as usize {
            self.func.dfg.make_block();
            self.block_defined.push(false);
        }
        let b = Block::new(number as usize);
        self.block_refs.push((b, line));
        b
    }

    fn define_value(&mut self, v: Value, site: DefSite, ty: Type, line: usize) -> PResult<()> {
        let i = v.index();
        if i >= self.defs.len() {
            self.defs.resize(i + 1, None);
        }
        if let Some((_, _, first)) = self.defs[i] {
            return err(line, format!("{v} is already defined on line {first}"));
        }
        self.defs[i] = Some((site, ty, line));
        Ok(())
    }

    /// `blockN:` or `blockN(v1: i32, …):`.
    fn block_header(&mut self, n: usize, line: &str) -> PResult<Block> {
        let mut c = Cursor::new(&line[..line.len() - 1], n);
        let number = c.entity("block", "a block")?;
        let block = self.block(number, n);
        if std::mem::replace(&mut self.block_defined[number as usize], true) {
            return err(n, format!("{block} is defined twice"));
        }
        self.func.layout.append_block(block);
        if c.eat('(') {
            let mut prev: Option<Value> = None;
            loop {
                let v = c.value()?;
                c.expect(':')?;
                let ty = c.ty()?;
                if prev.is_some_and(|p| p >= v) {
                    return err(n, format!("parameters of {block} must be numbered in increasing order"));
                }
                prev = Some(v);
                self.define_value(v, DefSite::Param(block), ty, n)?;
                if c.eat(')') {
                    break;
                }
                c.expect(',')?;
            }
        }
        c.end()?;
        Ok(block)
    }

    fn block_call(&mut self, c: &mut Cursor<'_>) -> PResult<BlockCall> {
        let number = c.entity("block", "a block")?;
        let block = self.block(number, c.line);
        let args = if c.eat('(') { c.values_until(')')? } else { Vec::new() };
        Ok(self.func.dfg.block_call(block, &args))
    }

    fn lane(&self, c: &mut Cursor<'_>) -> PResult<u8> {
        c.expect(',')?;
        c.number("a lane index")
    }

    fn inst_line(&mut self, n: usize, line: &str, block: Block) -> PResult<()> {
        let mut c = Cursor::new(line, n);
        let mut srcloc = SourceLoc::NONE;
        if let Some(rest) = line.strip_prefix('@') {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            match u32::from_str_radix(&rest[..end], 16) {
                Ok(loc) if loc != SourceLoc::NONE.0 => srcloc = SourceLoc(loc),
                _ => return err(n, format!("bad source location `@{}`", &rest[..end])),
            }
            c = Cursor::new(&rest[end..], n);
        }
        // Results: `v1, v2 = …`.
        let mut results: Vec<Value> = Vec::new();
        let mut probe = Cursor::new(c.rest, n);
        if let Some(Tok::Word(w)) = probe.next()
            && entity_number(w, "v").is_some()
            && matches!(probe.peek(), Some(Tok::Punct(',' | '=')))
        {
            loop {
                let v = c.value()?;
                if results.last().is_some_and(|&p| p >= v) {
                    return err(n, "results must be numbered in increasing order");
                }
                results.push(v);
                if c.eat('=') {
                    break;
                }
                c.expect(',')?;
            }
        }
        let word = c.word("an opcode")?;
        let (syntax, suffix) = match SYNTAX.get(word) {
            Some(&s) => (s, None),
            None => {
                let (name, suffix) = word.split_once('.').map_or((word, None), |(a, b)| (a, Some(b)));
                match SYNTAX.get(name) {
                    Some(&s) if !matches!(s, Syntax::Vector(_)) => (s, suffix),
                    _ => return err(n, format!("unknown opcode `{word}`")),
                }
            }
        };
        let (data, result_types) = self.operands(&mut c, syntax, suffix, results.len())?;
        c.end()?;
        let inst = self.func.dfg.make_inst(data);
        self.func.layout.append_inst(inst, block);
        if srcloc.is_some() {
            self.func.srclocs[inst] = srcloc;
        }
        for (&v, ty) in results.iter().zip(result_types) {
            self.define_value(v, DefSite::Result(inst), ty, n)?;
        }
        self.insts.push((inst, n));
        Ok(())
    }

    /// Parses the operands of `syntax`; returns the data and the type of each of `nres` results.
    fn operands(
        &mut self,
        c: &mut Cursor<'_>,
        syntax: Syntax,
        suffix: Option<&str>,
        nres: usize,
    ) -> PResult<(InstData, Vec<Type>)> {
        let line = c.line;
        let suffix_type = || -> PResult<Type> {
            match suffix.map(Type::from_name) {
                Some(Some(t)) => Ok(t),
                Some(None) => err(line, format!("unknown type suffix `.{}`", suffix.unwrap_or_default())),
                None => err(line, "a result type suffix is required (`op.i32`)"),
            }
        };
        let shape = || -> PResult<LaneShape> {
            let s = suffix.unwrap_or_default();
            by_name(&LANE_SHAPES, LaneShape::name, s)
                .map_or_else(|| err(line, format!("expected a lane shape suffix, found `.{s}`")), Ok)
        };
        // Result types: one type for every result, or none (no results allowed).
        let typed = |ty: Type| vec![ty; nres];
        let untyped = |c: &Cursor<'_>| -> PResult<Vec<Type>> {
            if nres == 0 { Ok(Vec::new()) } else { c.fail("this instruction has no results") }
        };
        let dfg = &mut self.func.dfg;
        let (data, types) = match syntax {
            Syntax::Iconst => {
                let ty = if nres > 0 { suffix_type()? } else { Type::I64 };
                (InstData::Iconst { imm: c.number("an integer")? }, typed(ty))
            }
            Syntax::F32const => {
                let bits = c.hex("f32 bits")?;
                let bits = u32::try_from(bits).or_else(|_| c.fail("f32 bits exceed 32 bits"))?;
                (InstData::F32const { bits }, typed(Type::F32))
            }
            Syntax::F64const => {
                let bits = c.hex("f64 bits")?;
                let bits = u64::try_from(bits).or_else(|_| c.fail("f64 bits exceed 64 bits"))?;
                (InstData::F64const { bits }, typed(Type::F64))
            }
            Syntax::Vconst => {
                let constant = dfg.constants.push(c.hex("a 128-bit constant")?);
                (InstData::Vconst { constant }, typed(Type::V128))
            }
            Syntax::Unary(opcode) => {
                let ty = if nres > 0 { suffix_type()? } else { Type::I32 };
                (InstData::Unary { opcode, arg: c.value()? }, typed(ty))
            }
            Syntax::Binary(opcode) => {
                let ty = if nres > 0 { suffix_type()? } else { Type::I32 };
                let a = c.value()?;
                c.expect(',')?;
                (InstData::Binary { opcode, args: [a, c.value()?] }, typed(ty))
            }
            Syntax::Select => {
                let ty = if nres > 0 { suffix_type()? } else { Type::I32 };
                let a = c.value()?;
                c.expect(',')?;
                let b = c.value()?;
                c.expect(',')?;
                (InstData::Ternary { opcode: Opcode::Select, args: [a, b, c.value()?] }, typed(ty))
            }
            Syntax::Icmp | Syntax::Fcmp => {
                let w = c.word("a condition")?;
                let a = c.value()?;
                c.expect(',')?;
                let args = [a, c.value()?];
                let data = if matches!(syntax, Syntax::Icmp) {
                    let cond = by_name(&IntCC::ALL, IntCC::name, w)
                        .map_or_else(|| c.fail(format!("unknown integer condition `{w}`")), Ok)?;
                    InstData::IntCompare { cond, args }
                } else {
                    let cond = by_name(&FloatCC::ALL, FloatCC::name, w)
                        .map_or_else(|| c.fail(format!("unknown float condition `{w}`")), Ok)?;
                    InstData::FloatCompare { cond, args }
                };
                (data, typed(Type::I32))
            }
            Syntax::Load(kind) | Syntax::HeapLoad(kind) => {
                let ty = if nres > 0 { suffix_type()? } else { Type::I32 };
                let (arg, offset) = c.address()?;
                let data = if matches!(syntax, Syntax::HeapLoad(_)) {
                    InstData::HeapLoad { kind, arg, offset }
                } else {
                    InstData::Load { kind, arg, offset }
                };
                (data, typed(ty))
            }
            Syntax::Store(kind) | Syntax::HeapStore(kind) => {
                let v = c.value()?;
                c.expect(',')?;
                let (a, offset) = c.address()?;
                let args = [a, v];
                let data = if matches!(syntax, Syntax::HeapStore(_)) {
                    InstData::HeapStore { kind, args, offset }
                } else {
                    InstData::Store { kind, args, offset }
                };
                (data, untyped(c)?)
            }
            Syntax::LoadLane => {
                let shape = shape()?;
                let (a, offset) = c.address()?;
                c.expect(',')?;
                let v = c.value()?;
                let lane = self.lane(c)?;
                (InstData::LoadLane { shape, lane, args: [a, v], offset }, typed(Type::V128))
            }
            Syntax::StoreLane => {
                let shape = shape()?;
                let v = c.value()?;
                c.expect(',')?;
                let (a, offset) = c.address()?;
                let lane = self.lane(c)?;
                (InstData::StoreLane { shape, lane, args: [a, v], offset }, untyped(c)?)
            }
            Syntax::Vector(op) => {
                let mut args = Vec::with_capacity(3);
                for i in 0..op.arity() {
                    if i > 0 {
                        c.expect(',')?;
                    }
                    args.push(c.value()?);
                }
                let a = [args[0], *args.get(1).unwrap_or(&args[0]), *args.get(2).unwrap_or(&args[0])];
                (InstData::Vector { op, args: a }, typed(op.sig().result))
            }
            Syntax::Shuffle => {
                let a = c.value()?;
                c.expect(',')?;
                let b = c.value()?;
                c.expect(',')?;
                c.expect('[')?;
                let mut mask = [0u8; 16];
                for m in &mut mask {
                    *m = c.number("a lane index")?;
                }
                c.expect(']')?;
                let mask = dfg.constants.push(u128::from_le_bytes(mask));
                (InstData::Shuffle { args: [a, b], mask }, typed(Type::V128))
            }
            Syntax::ExtractLane => {
                let shape = shape()?;
                let arg = c.value()?;
                let lane = self.lane(c)?;
                (InstData::ExtractLane { shape, lane, arg }, typed(shape.scalar()))
            }
            Syntax::InsertLane => {
                let shape = shape()?;
                let a = c.value()?;
                c.expect(',')?;
                let b = c.value()?;
                let lane = self.lane(c)?;
                (InstData::InsertLane { shape, lane, args: [a, b] }, typed(Type::V128))
            }
            Syntax::Jump => (InstData::Jump { dest: self.block_call(c)? }, untyped(c)?),
            Syntax::Brif => {
                let arg = c.value()?;
                c.expect(',')?;
                let then_dest = self.block_call(c)?;
                c.expect(',')?;
                let else_dest = self.block_call(c)?;
                (InstData::Brif { arg, then_dest, else_dest }, untyped(c)?)
            }
            Syntax::BrTable => {
                let arg = c.value()?;
                c.expect(',')?;
                let default = self.block_call(c)?;
                c.expect(',')?;
                c.expect('[')?;
                let mut targets = Vec::new();
                if !c.eat(']') {
                    loop {
                        targets.push(self.block_call(c)?);
                        if c.eat(']') {
                            break;
                        }
                        c.expect(',')?;
                    }
                }
                let table = self.func.dfg.jump_tables.push(JumpTableData { default, targets });
                (InstData::BrTable { arg, table }, untyped(c)?)
            }
            Syntax::Return => {
                let mut args = Vec::new();
                if c.peek().is_some() {
                    loop {
                        args.push(c.value()?);
                        if !c.eat(',') {
                            break;
                        }
                    }
                }
                (InstData::Return { args: dfg.value_list(&args) }, untyped(c)?)
            }
            Syntax::Call => {
                let k = c.entity("fn", "a function reference")? as usize;
                if k >= dfg.ext_funcs.len() {
                    return c.fail(format!("fn{k} is not declared"));
                }
                let func = FuncRef::new(k);
                c.expect('(')?;
                let args = c.values_until(')')?;
                let sig = dfg.ext_funcs[func].sig;
                let data = InstData::Call { func, args: dfg.value_list(&args) };
                (data, self.call_results(c, sig, nres)?)
            }
            Syntax::CallIndirect => {
                let sig = self.sig_ref(c)?;
                c.expect(',')?;
                let mut args = vec![c.value()?];
                c.expect('(')?;
                args.extend(c.values_until(')')?);
                let data = InstData::CallIndirect { sig, args: self.func.dfg.value_list(&args) };
                (data, self.call_results(c, sig, nres)?)
            }
            Syntax::CallBuiltin => {
                let name = c.word("a builtin name")?;
                let Some(&builtin) = self.builtin_names.get(name) else {
                    return c.fail(format!("builtin `{name}` is not declared"));
                };
                c.expect('(')?;
                let args = c.values_until(')')?;
                let sig = self.func.dfg.builtins[builtin].sig;
                let data = InstData::CallBuiltin { builtin, args: self.func.dfg.value_list(&args) };
                (data, self.call_results(c, sig, nres)?)
            }
            Syntax::Trap => (InstData::Trap { code: trap_code(c)? }, untyped(c)?),
            Syntax::CondTrap(opcode) => {
                let arg = c.value()?;
                c.expect(',')?;
                (InstData::CondTrap { opcode, arg, code: trap_code(c)? }, untyped(c)?)
            }
        };
        Ok((data, types))
    }

    fn call_results(&self, c: &Cursor<'_>, sig: SigRef, nres: usize) -> PResult<Vec<Type>> {
        let results = &self.func.dfg.signatures[sig].results;
        if results.len() != nres {
            return c.fail(format!("{sig} has {} results, the text names {nres}", results.len()));
        }
        Ok(results.clone())
    }

    /// Creates the values in number order, then checks that every use and
    /// every branch target is defined.
    fn finish(mut self, last_line: usize) -> PResult<Function> {
        let mut filler: Option<Inst> = None;
        for (i, def) in self.defs.iter().enumerate() {
            let v = match *def {
                Some((DefSite::Param(block), ty, _)) => self.func.dfg.append_block_param(block, ty),
                Some((DefSite::Result(inst), ty, _)) => {
                    self.func.dfg.make_inst_results(inst, &[ty]);
                    self.func.dfg.inst_results(inst).last().copied().unwrap_or(Value::new(i))
                }
                None => {
                    // A number the text skips: a result of one instruction outside the layout.
                    let inst =
                        *filler.get_or_insert_with(|| self.func.dfg.make_inst(InstData::Iconst { imm: 0 }));
                    self.func.dfg.make_inst_results(inst, &[Type::I32]);
                    Value::new(i)
                }
            };
            debug_assert_eq!(v.index(), i, "values are created in number order");
        }
        for &(inst, line) in &self.insts {
            for v in self.func.dfg.inst_values(inst) {
                if self.defs.get(v.index()).is_none_or(|d| d.is_none()) {
                    return err(line, format!("{v} is used but never defined"));
                }
            }
        }
        for &(block, line) in &self.block_refs {
            if !self.block_defined[block.index()] {
                return err(line, format!("{block} is used but never defined"));
            }
        }
        if self.func.layout.entry_block().is_none() {
            return err(last_line, "the function has no blocks");
        }
        Ok(self.func)
    }
}

fn trap_code(c: &mut Cursor<'_>) -> PResult<TrapCode> {
    let w = c.word("a trap code")?;
    by_name(&TrapCode::ALL, TrapCode::ir_name, w)
        .map_or_else(|| c.fail(format!("unknown trap code `{w}`")), Ok)
}

#[cfg(test)]
mod tests;
