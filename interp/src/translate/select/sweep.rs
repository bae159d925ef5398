//! The final dead-code sweep of [`super::Selection::compute`]: skips the
//! side-effect-free instructions whose results have no effective use left
//! under the plans (folded constants, fused compares, absorbed bounds checks).

use cranelift_entity::SecondaryMap;
use zerowasm_ssa::dfg::ValueDef;
use zerowasm_ssa::{Function, Inst, Value};

use super::{Plan, plan_uses};

/// The sweep's work list, kept between functions (one per thread, inside
/// [`super::SelectBuffers`]) so each function fills it instead of
/// allocating a new one.
#[derive(Default)]
pub(crate) struct SweepBuffers {
    work: Vec<Inst>,
}

impl SweepBuffers {
    /// Skips every side-effect-free instruction of a reachable block (not yet
    /// skipped) whose results are not used under `plans`, and then those
    /// whose results were used only by skipped ones: `uses` counts the
    /// effective uses of every value. The walk has skipped those without
    /// results already.
    ///
    /// The dead ones are found through their unused results, so the walk
    /// need not list candidates. Uses only go down and plans only become
    /// [`Plan::Skip`], so a candidate, once dead, stays dead; one queued
    /// twice (for two results) is skipped once.
    pub(crate) fn run(
        &mut self,
        func: &Function,
        plans: &mut SecondaryMap<Inst, Plan>,
        uses: &mut SecondaryMap<Value, u32>,
    ) {
        let dfg = &func.dfg;
        let work = &mut self.work;
        work.clear();
        // `d`, not skipped and without side effects, is dead once all its results are.
        let dead = |plans: &SecondaryMap<Inst, Plan>, uses: &SecondaryMap<Value, u32>, d: Inst| {
            !dfg.inst(d).opcode().has_side_effects()
                && !matches!(plans[d], Plan::Skip)
                && match *dfg.inst_results(d) {
                    [_] => true,
                    ref results => results.iter().all(|&r| uses[r] == 0),
                }
        };
        for (v, &n) in uses.iter() {
            if n == 0
                && let ValueDef::Result(d, _) = dfg.value_def(v)
                // Not an instruction removed from the layout (its plan is the default).
                && func.layout.inst_block(d).is_some()
                && dead(plans, uses, d)
            {
                work.push(d);
            }
        }
        while let Some(inst) = work.pop() {
            let plan = plans[inst];
            if matches!(plan, Plan::Skip) {
                continue;
            }
            plans[inst] = Plan::Skip;
            let unuse = |v: Value| {
                uses[v] -= 1;
                if uses[v] == 0
                    && let ValueDef::Result(d, _) = dfg.value_def(v)
                    && dead(plans, uses, d)
                {
                    work.push(d);
                }
            };
            // Most dead instructions are plain ones (constants, fused compares).
            if matches!(plan, Plan::Emit) {
                dfg.for_each_inst_value(inst, unuse);
            } else {
                plan_uses(&plan, func, inst, unuse);
            }
        }
    }
}
