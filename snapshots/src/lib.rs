//! Snapshot tests live in `tests/`; their inputs in `wat/`.
