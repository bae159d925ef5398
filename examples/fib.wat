;; The README's first command runs this: `cargo run --release -- run --invoke fib examples/fib.wat 30`
(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; Traps with a backtrace: `zerowasm run --invoke crash examples/fib.wat`
  (func $inner (i32.store (i32.const -1) (i32.const 0)))
  (func (export "crash") (call $inner))
  (memory 1))
