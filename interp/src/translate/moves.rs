//! Parallel moves: the copies of block arguments into block parameters happen
//! "at once" on an edge; this orders them into sequential cell copies.
//!
//! Moves work on single cells (a v128 is two cell moves), so every destination
//! is distinct and the move graph is a set of paths and cycles. Ready moves
//! (whose destination no pending move still reads) go first; when only cycles
//! remain, one destination is saved to the temporary cell and its readers are
//! redirected there, which makes that move ready.

use smallvec::SmallVec;

/// Cell copies `(dst, src)`; an edge rarely has more than a few, so they
/// stay inline (edges are encoded by the thousand).
pub(crate) type Moves = SmallVec<[(u16, u16); 8]>;

/// Orders the parallel copies `(dst, src)` (distinct destinations) into
/// sequential ones in `out`; `temp` gives the scratch cell when a cycle needs it.
pub(crate) fn sequentialize(moves: &[(u16, u16)], mut temp: impl FnMut() -> u16, out: &mut Moves) {
    let mut pending: Moves = moves.iter().copied().filter(|&(d, s)| d != s).collect();
    while !pending.is_empty() {
        if let Some(i) = pending.iter().position(|&(d, _)| !pending.iter().any(|&(_, s)| s == d)) {
            out.push(pending.remove(i));
            continue;
        }
        let saved = pending[0].0;
        let t = temp();
        out.push((t, saved));
        for m in &mut pending {
            if m.1 == saved {
                m.1 = t;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the sequential moves on cells initialised to their own index.
    fn run(moves: &[(u16, u16)]) -> Vec<u16> {
        let mut out = Moves::new();
        sequentialize(moves, || 99, &mut out);
        let mut cells: Vec<u16> = (0..100).collect();
        for (d, s) in out {
            cells[d as usize] = cells[s as usize];
        }
        cells
    }

    #[test]
    fn swaps_and_rotations_keep_every_value() {
        let c = run(&[(0, 1), (1, 0)]);
        assert_eq!((c[0], c[1]), (1, 0));
        let c = run(&[(0, 1), (1, 2), (2, 0), (5, 0)]);
        assert_eq!((c[0], c[1], c[2], c[5]), (1, 2, 0, 0));
        let c = run(&[(3, 3), (4, 3), (6, 7), (7, 6), (8, 9), (9, 8)]);
        assert_eq!((c[3], c[4], c[6], c[7], c[8], c[9]), (3, 3, 7, 6, 9, 8));
    }

    #[test]
    fn chains_need_no_temporary() {
        let mut out = Moves::new();
        sequentialize(&[(0, 1), (1, 2), (2, 3)], || panic!("no cycle"), &mut out);
        assert_eq!(out.as_slice(), &[(0, 1), (1, 2), (2, 3)]);
    }
}
