//! Locks the text of every pipeline stage for the `.wat` inputs in `../wat`:
//! the SSA from the lowering, the SSA after the optimizing passes, and the
//! interpreter's slot code from both of its translators. The text comes from the same
//! function as `zerowasm ir`, so the CLI shows exactly what is locked here.
//! Review changed snapshots like code (`INSTA_UPDATE=always cargo test -p
//! zerowasm-snapshots`, then read the diff).

use std::path::Path;

use zerowasm_cli::ir::{FuncSelector, Stage, render};
use zerowasm_cli::load::read_module;

fn inputs() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("wat");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("snapshots/wat exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "wat"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let stem = p.file_stem().expect("file name").to_string_lossy().into_owned();
            let bytes = read_module(&p).unwrap_or_else(|e| panic!("{e}"));
            (stem, bytes)
        })
        .collect()
}

fn snapshot_stage(stage_name: &str) {
    let inputs = inputs();
    assert!(inputs.len() >= 25, "expected at least 25 inputs, found {}", inputs.len());
    let stage = Stage::from_name(stage_name).expect("known stage");
    for (stem, bytes) in inputs {
        let text =
            render(&bytes, &stage, &FuncSelector::All, false).unwrap_or_else(|e| panic!("{stem}: {e}"));
        insta::assert_snapshot!(format!("{stem}__{stage_name}"), text);
    }
}

#[test]
fn lowered_ssa() {
    snapshot_stage("lowered");
}

#[test]
fn optimized_ssa() {
    snapshot_stage("optimized");
}

#[test]
fn interpreter_slot_code() {
    snapshot_stage("slots");
}

#[test]
fn interpreter_baseline_slot_code() {
    snapshot_stage("baseline");
}
