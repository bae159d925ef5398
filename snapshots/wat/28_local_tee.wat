(module
  (func (export "tee") (param i32) (result i32)
    (local $a i32) (local $b i32)
    (i32.mul (local.tee $a (i32.add (local.get 0) (i32.const 1)))
             (local.tee $b (i32.sub (local.get $a) (i32.const 2))))))
