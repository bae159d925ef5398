(module
  (func (export "k") (result i32)
    (i32.add (i32.mul (i32.const 6) (i32.const 7)) (i32.shl (i32.const 1) (i32.const 33))))
  (func (export "dead_branch") (param i32) (result i32)
    (if (result i32) (i32.const 0) (then (local.get 0)) (else (i32.const 5)))))
