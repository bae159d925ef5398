//! Instrumentation that both engines get from the IR: interrupt checks and fuel.
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

use zerowasm_ssa::{InstData, IntCC, LoadKind, Opcode, StoreKind, TrapCode, Type};

use super::Lowerer;
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
        let rest = self.b.binary(Opcode::Isub, Type::I64, fuel, cost);
        self.b.store(StoreKind::Plain, fuel_ptr, rest, 0);
        let short = self.b.icmp(IntCC::SignedLt, fuel, cost);
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
}
