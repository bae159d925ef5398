//! Instrumentation that both engines get from the IR: interrupt checks, fuel
//! and function-listener hooks.
//!
//! **Interrupts.** At function entry and at every loop header the lowering
//! loads the interrupt flag (`*vmctx.interrupt_flag`, a `u32`) and branches to
//! an out-of-line block that does `trap interrupt` when it is non-zero. Loop
//! headers are enough: every unbounded execution passes one, or recurses,
//! which passes a function entry.
//!
//! **Fuel.** Each reachable Wasm instruction costs one unit. The cost is
//! charged up front, once per *region*: a straight-line run of instructions
//! that the lowering emits without starting a new IR block. Regions start at
//! function entry, at loop headers (charged on every iteration), at the start
//! of `if` and `else` arms, at the merge after an `end` that something
//! branches to, and after `br_if`. A region's charge counts every instruction
//! lowered into it, its final control instruction included. The charge is
//! `*fuel -= cost`, then `trap out_of_fuel` if the fuel was below `cost`; a
//! region is charged in full even if it traps or branches out early, so a
//! guest may be stopped up to one region before it would run dry.
//!
//! The cost of a region is not known when its first instruction is emitted,
//! so the charge is emitted with a placeholder constant that is patched when
//! the region ends.
//!
//! **Listener hooks.** With `LowerConfig::listener` the entry and every
//! return report the function's parameters and results to the runtime: each
//! value is staged as raw slots with `listener_arg(slot, bits)`, then
//! `listener_enter(funcidx)` or `listener_exit(funcidx)` tells the runtime
//! which function they belong to. Every return goes through [`Lowerer::ret`],
//! so no exit can miss its hook; conditional branches to the function's label
//! reach it through the shared return block.

use zerowasm_ssa::{InstData, IntCC, LaneShape, LoadKind, Opcode, StoreKind, TrapCode, Type, Value};

use super::Lowerer;
use crate::builtins::Builtin;
use crate::vmoffsets::VmOffsets;

impl Lowerer<'_, '_> {
    /// `brif *interrupt_flag, trap(interrupt), next`, continuing in `next`.
    pub(super) fn interrupt_check(&mut self) {
        let flag_ptr = self.b.load(LoadKind::Plain, Type::I64, self.vmctx, VmOffsets::interrupt_flag());
        let flag = self.b.load(LoadKind::Plain, Type::I32, flag_ptr, 0);
        let trap = self.trap_block(TrapCode::Interrupted);
        let next = self.new_block();
        self.b.brif(flag, trap, &[], next, &[]);
        self.switch_to(next, true);
    }

    /// Ends the current fuel region (if any) and charges a new one here.
    pub(super) fn start_region(&mut self) {
        if !self.config.fuel {
            return;
        }
        self.flush_fuel();
        let fuel_ptr = self.b.load(LoadKind::Plain, Type::I64, self.vmctx, VmOffsets::fuel());
        let fuel = self.b.load(LoadKind::Plain, Type::I64, fuel_ptr, 0);
        let charge = self.b.insert(InstData::Iconst { imm: 0 }, &[Type::I64]);
        let cost = self.b.func.dfg.first_result(charge);
        // The charge is a placeholder until `flush_fuel` patches in the cost:
        // what reads it is built as is, not folded as `fuel - 0`.
        let sub = self.b.insert(InstData::Binary { opcode: Opcode::Isub, args: [fuel, cost] }, &[Type::I64]);
        let rest = self.b.func.dfg.first_result(sub);
        self.b.store(StoreKind::Plain, fuel_ptr, rest, 0);
        let cmp =
            self.b.insert(InstData::IntCompare { cond: IntCC::SignedLt, args: [fuel, cost] }, &[Type::I32]);
        let short = self.b.func.dfg.first_result(cmp);
        self.b.cond_trap(Opcode::Trapnz, short, TrapCode::OutOfFuel);
        self.fuel_charge = Some(charge);
        self.fuel_count = 0;
    }

    /// Patches the pending region's charge with its final cost.
    pub(super) fn flush_fuel(&mut self) {
        if let Some(charge) = self.fuel_charge.take() {
            self.b.func.dfg.replace_inst(charge, InstData::Iconst { imm: self.fuel_count });
        }
        self.fuel_count = 0;
    }

    /// Returns the operand stack values from `start` on (reporting them first
    /// when the listener is on).
    pub(super) fn return_from(&mut self, start: usize) {
        if self.config.listener {
            let values = self.st.stack.get(start..).unwrap_or(&[]).to_vec();
            self.ret(&values);
        } else {
            self.b.ret(&self.st.stack[start..]);
        }
    }

    /// `return values`, reported to the listener first when it is on.
    pub(super) fn ret(&mut self, values: &[Value]) {
        if self.config.listener {
            self.listener_hook(Builtin::ListenerExit, values);
        }
        self.b.ret(values);
    }

    /// Stages `values` in raw slots with `listener_arg`, then calls `hook`
    /// (`listener_enter` or `listener_exit`) with this function's index.
    pub(super) fn listener_hook(&mut self, hook: Builtin, values: &[Value]) {
        let arg = self.builtin_ref(Builtin::ListenerArg);
        let mut slot = 0u32;
        for &v in values {
            let (low, high) = match self.b.value_type(v) {
                Type::I32 => (self.b.unary(Opcode::Uextend, Type::I64, v), None),
                Type::F32 => {
                    let int = self.b.unary(Opcode::Bitcast, Type::I32, v);
                    (self.b.unary(Opcode::Uextend, Type::I64, int), None)
                }
                Type::F64 => (self.b.unary(Opcode::Bitcast, Type::I64, v), None),
                Type::I64 => (v, None),
                Type::V128 => {
                    let low = self.b.extract_lane(LaneShape::I64x2, 0, v);
                    (low, Some(self.b.extract_lane(LaneShape::I64x2, 1, v)))
                }
            };
            for bits in std::iter::once(low).chain(high) {
                let at = self.b.iconst(Type::I32, i64::from(slot));
                self.b.call_builtin(arg, &[self.vmctx, at, bits]);
                slot += 1;
            }
        }
        let hook = self.builtin_ref(hook);
        let funcidx = self.b.iconst(Type::I32, i64::from(self.funcidx));
        self.b.call_builtin(hook, &[self.vmctx, funcidx]);
    }
}
