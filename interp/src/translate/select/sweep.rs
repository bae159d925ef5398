//! The final dead-code sweep of [`super::Selection::compute`]: skips the
//! side-effect-free instructions whose results have no effective use left
//! under the plans (folded constants, fused compares, absorbed bounds checks).

use cranelift_entity::SecondaryMap;
use zerowasm_ssa::dfg::{DataFlowGraph, ValueDef};
use zerowasm_ssa::{Function, Inst, Value};

use super::{Plan, plan_uses};

/// What the sweep knows of an instruction from the planning walk, so it need
/// not look at the instruction again.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Kind {
    /// Has side effects, or was planned [`Plan::Skip`], or was not visited:
    /// never swept.
    #[default]
    Kept,
    /// Side-effect free with exactly one result: dead once that result is.
    One,
    /// Side-effect free with another number of results: dead once all are.
    Other,
}

/// The sweep's tables, kept between functions (one per thread, inside
/// [`super::SelectBuffers`]) so each function fills them instead of
/// allocating new ones.
#[derive(Default)]
pub(crate) struct SweepBuffers {
    kinds: SecondaryMap<Inst, Kind>,
    /// Every [`Kind::One`] or [`Kind::Other`] instruction in visiting order,
    /// with its single result (any value for [`Kind::Other`]).
    candidates: Vec<(Inst, Value)>,
    work: Vec<Inst>,
}

impl SweepBuffers {
    /// Forgets the previous function; `num_insts` is the new one's count.
    pub(crate) fn start(&mut self, num_insts: usize) {
        self.kinds.clear();
        self.kinds.resize(num_insts);
        self.candidates.clear();
        self.work.clear();
    }

    /// Records `inst`, side-effect free and not skipped, as one the sweep may remove.
    #[inline]
    pub(crate) fn candidate(&mut self, dfg: &DataFlowGraph, inst: Inst) {
        match *dfg.inst_results(inst) {
            [v] => {
                self.kinds[inst] = Kind::One;
                self.candidates.push((inst, v));
            }
            _ => {
                self.kinds[inst] = Kind::Other;
                self.candidates.push((inst, Value::from_u32(0)));
            }
        }
    }

    /// Skips every candidate whose results are not used under `plans`, and
    /// then those whose results were used only by skipped ones: `uses` counts
    /// the effective uses of every value.
    ///
    /// Uses only go down and plans only become [`Plan::Skip`], so a
    /// candidate, once dead, stays dead, and each is queued at most once.
    pub(crate) fn run(
        &mut self,
        func: &Function,
        plans: &mut SecondaryMap<Inst, Plan>,
        uses: &mut SecondaryMap<Value, u32>,
    ) {
        let dfg = &func.dfg;
        let Self { kinds, candidates, work } = self;
        let all_unused = |uses: &SecondaryMap<Value, u32>, inst: Inst| {
            dfg.inst_results(inst).iter().all(|&r| uses[r] == 0)
        };
        for &(inst, v) in candidates.iter() {
            let dead = match kinds[inst] {
                Kind::One => uses[v] == 0,
                Kind::Other => all_unused(uses, inst),
                Kind::Kept => false,
            };
            if dead && !matches!(plans[inst], Plan::Skip) {
                work.push(inst);
            }
        }
        while let Some(inst) = work.pop() {
            let plan = plans[inst];
            if matches!(plan, Plan::Skip) {
                continue;
            }
            plans[inst] = Plan::Skip;
            plan_uses(&plan, func, inst, |v| {
                uses[v] -= 1;
                if uses[v] == 0
                    && let ValueDef::Result(d, _) = dfg.value_def(v)
                    && !matches!(plans[d], Plan::Skip)
                {
                    let dead = match kinds[d] {
                        Kind::One => true,
                        Kind::Other => all_unused(uses, d),
                        Kind::Kept => false,
                    };
                    if dead {
                        work.push(d);
                    }
                }
            });
        }
    }
}
