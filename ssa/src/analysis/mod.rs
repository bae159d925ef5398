//! Analyses over a function's control flow: predecessors and successors, the
//! dominator tree, and loops. Passes and the verifier compute them on demand.

pub mod cfg;
pub mod domtree;
pub mod loops;
