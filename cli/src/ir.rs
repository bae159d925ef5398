//! Renders a module's functions at one stage of the pipeline: the text that
//! `zerowasm ir` prints and the snapshot tests lock. One place, so the CLI
//! and the snapshots can never disagree.

use std::fmt::Write;

use std::sync::Arc;

use zerowasm_frontend::lower::{LowerConfig, LowerContext, function_name, lower_function};
use zerowasm_frontend::{CoreFeatures, ModuleInfo, validate};
use zerowasm_interp::{InterpConfig, InterpModule, Translator};
use zerowasm_ssa::passes::{OPTIMIZING_PIPELINE, Pass, PassCtx, run_pipeline};
use zerowasm_ssa::printer::{PrintOptions, print_function};

/// Which form of each function to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The SSA straight out of the Wasm lowering.
    Lowered,
    /// The SSA after a pass pipeline (the optimizing one unless passes are given).
    Optimized(Vec<Pass>),
    /// The interpreter's slot code from the optimizing translator (the SSA
    /// through the interpreter's own, cheaper pipeline).
    Slots,
    /// The interpreter's slot code from the baseline translator, the
    /// default: what `zerowasm run` executes. A function it does not handle
    /// prints as the SSA pipeline's code.
    Baseline,
}

impl Stage {
    /// Parses `lowered`, `optimized`, `slots` or `baseline`.
    pub fn from_name(name: &str) -> Option<Stage> {
        match name {
            "lowered" => Some(Stage::Lowered),
            "optimized" => Some(Stage::Optimized(OPTIMIZING_PIPELINE.to_vec())),
            "slots" => Some(Stage::Slots),
            "baseline" => Some(Stage::Baseline),
            _ => None,
        }
    }
}

/// Selects functions by export/name-section name or by index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FuncSelector {
    /// Every defined function.
    All,
    /// A function index.
    Index(u32),
    /// An export name or a name-section name.
    Name(String),
}

impl FuncSelector {
    /// A number selects by index, anything else by name.
    pub fn parse(text: &str) -> FuncSelector {
        text.parse().map_or_else(|_| FuncSelector::Name(text.to_string()), FuncSelector::Index)
    }

    fn resolve(&self, module: &ModuleInfo) -> Result<Vec<u32>, String> {
        let defined = module.num_imported_functions..module.functions.len() as u32;
        let idx = match self {
            FuncSelector::All => return Ok(defined.collect()),
            FuncSelector::Index(i) => *i,
            FuncSelector::Name(name) => module
                .exports
                .iter()
                .find(|e| e.kind == zerowasm_frontend::ExternKind::Func && e.name == *name)
                .map(|e| e.index)
                .or_else(|| module.names.functions.iter().find(|(_, n)| *n == name).map(|(i, _)| *i))
                .ok_or_else(|| format!("no function named `{name}`"))?,
        };
        if !defined.contains(&idx) {
            return Err(format!("function {idx} is not a defined function of this module"));
        }
        Ok(vec![idx])
    }
}

/// Prints the selected functions of the module in `bytes` at `stage`,
/// separated by blank lines. Errors are user-facing messages.
pub fn render(bytes: &[u8], stage: &Stage, select: &FuncSelector, srclocs: bool) -> Result<String, String> {
    let module = validate(bytes, CoreFeatures::default()).map_err(|e| e.to_string())?;
    let mut out = String::new();
    let funcs = select.resolve(&module)?;
    let translator = match stage {
        Stage::Slots => Some(Translator::Optimizing),
        Stage::Baseline => Some(Translator::Baseline),
        Stage::Lowered | Stage::Optimized(_) => None,
    };
    if let Some(translator) = translator {
        let config = InterpConfig { translator, ..InterpConfig::default() };
        let interp = InterpModule::new(Arc::new(module), Arc::from(bytes)).with_config(config);
        for funcidx in funcs {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&interp.slot_code_text(funcidx).map_err(|e| e.to_string())?);
        }
        return Ok(out);
    }
    let mut cx = LowerContext::new();
    let mut pcx = PassCtx::default();
    for funcidx in funcs {
        let mut func = lower_function(&module, bytes, funcidx, &LowerConfig::default(), &mut cx)
            .map_err(|e| format!("function {funcidx} ({}): {e}", function_name(&module, funcidx)))?;
        if let Stage::Optimized(passes) = stage {
            run_pipeline(&mut func, &mut pcx, passes).map_err(|e| format!("function {funcidx}: {e}"))?;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = write!(out, "{}", print_function(&func, PrintOptions { srclocs }));
    }
    Ok(out)
}
