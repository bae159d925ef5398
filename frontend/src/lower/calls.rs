//! Calls and builtins.
//!
//! A defined callee is called directly (`call fnN(vmctx, args...)`). An
//! imported callee is called through its `VmFuncRef`, which carries the code
//! handle and the callee's own VM context. Runtime services are
//! `call_builtin`s with the caller's `vmctx` first; each callee, signature and
//! builtin is declared once per function.

use zerowasm_ssa::instructions::{BuiltinData, ExtFuncData};
use zerowasm_ssa::{BuiltinRef, LoadKind, SigRef, Signature, Type, Value};

use super::{Lowerer, Result, ir_signature, write_function_name};
use crate::builtins::Builtin;
use crate::vmoffsets::VmOffsets;

impl Lowerer<'_, '_> {
    /// The signature of module type `index`, declared on first use.
    pub(super) fn signature(&mut self, index: u32) -> Result<SigRef> {
        if let Some(sig) = self.st.sigs.get(index) {
            return Ok(sig);
        }
        let Some(ty) = self.module.types.get(index as usize) else {
            return Err(self.invalid(format!("unknown type {index}")));
        };
        let sig = self.b.import_signature(ir_signature(ty));
        self.st.sigs.insert(index, sig);
        Ok(sig)
    }

    pub(super) fn call(&mut self, funcidx: u32) -> Result<()> {
        let Some(&type_index) = self.module.functions.get(funcidx as usize) else {
            return Err(self.invalid(format!("unknown function {funcidx}")));
        };
        let sig = self.signature(type_index)?;
        let n = self.b.func.dfg.signatures[sig].params.len() - 1;
        if self.module.is_imported_func(funcidx) {
            let func_ref =
                self.b.load(LoadKind::Plain, Type::I64, self.vmctx, self.offsets.func_ref(funcidx));
            let callee = self.b.load(LoadKind::Plain, Type::I64, func_ref, VmOffsets::func_ref_func());
            let callee_vmctx = self.b.load(LoadKind::Plain, Type::I64, func_ref, VmOffsets::func_ref_vmctx());
            self.indirect_call(sig, callee, callee_vmctx, n)
        } else {
            let func = match self.st.funcs.get(funcidx) {
                Some(f) => f,
                None => {
                    let mut name = self.names.pop().unwrap_or_default();
                    write_function_name(self.module, funcidx, &mut name);
                    let f = self.b.import_function(ExtFuncData { index: funcidx, sig, name });
                    self.st.funcs.insert(funcidx, f);
                    f
                }
            };
            let mut args = self.call_args(&[self.vmctx], n)?;
            let results = self.b.call(func, &args);
            args.clear();
            self.st.args = args;
            self.push_all(&results);
            Ok(())
        }
    }

    /// `call_indirect sig, callee(callee_vmctx, top n operands)`, pushing the results.
    pub(super) fn indirect_call(
        &mut self,
        sig: SigRef,
        callee: Value,
        callee_vmctx: Value,
        n: usize,
    ) -> Result<()> {
        let mut args = self.call_args(&[callee, callee_vmctx], n)?;
        let results = self.b.call_indirect(sig, &args);
        args.clear();
        self.st.args = args;
        self.push_all(&results);
        Ok(())
    }

    /// `[first..., top n operands]`, popping the operands; the caller hands
    /// the vector back through `st.args` so it is reused.
    fn call_args(&mut self, first: &[Value], n: usize) -> Result<Vec<Value>> {
        let start = self.height_below(n)?;
        let mut args = std::mem::take(&mut self.st.args);
        args.clear();
        args.extend_from_slice(first);
        args.extend_from_slice(&self.st.stack[start..]);
        self.st.stack.truncate(start);
        Ok(args)
    }

    /// `builtin`, declared on first use.
    pub(super) fn builtin_ref(&mut self, builtin: Builtin) -> BuiltinRef {
        let slot = builtin as usize;
        if self.st.builtins.len() <= slot {
            self.st.builtins.resize(slot + 1, None);
        }
        if let Some(b) = self.st.builtins[slot] {
            return b;
        }
        let (params, results) = builtin.signature();
        let mut all = Vec::with_capacity(params.len() + 1);
        all.push(Type::I64);
        all.extend_from_slice(params);
        let sig = self.b.import_signature(Signature { params: all, results: results.to_vec() });
        let b = self.b.import_builtin(BuiltinData { index: builtin as u32, sig, name: builtin.name() });
        self.st.builtins[slot] = Some(b);
        b
    }

    /// Calls `builtin` with `(vmctx, immediates as i32 constants..., top n operands)`
    /// and returns its result, if it has one.
    pub(super) fn call_builtin(
        &mut self,
        builtin: Builtin,
        immediates: &[u32],
        n: usize,
    ) -> Result<Option<Value>> {
        let bref = self.builtin_ref(builtin);
        let start = self.height_below(n)?;
        let mut args = std::mem::take(&mut self.st.args);
        args.clear();
        args.push(self.vmctx);
        for &imm in immediates {
            args.push(self.b.iconst(Type::I32, i64::from(imm)));
        }
        args.extend_from_slice(&self.st.stack[start..]);
        self.st.stack.truncate(start);
        let results = self.b.call_builtin(bref, &args);
        args.clear();
        self.st.args = args;
        Ok(results.first().copied())
    }
}
