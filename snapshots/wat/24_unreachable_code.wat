(module
  (func (export "early") (param i32) (result i32)
    (block $b (result i32)
      (br $b (i32.const 7))
      (drop (i32.div_u (local.get 0) (i32.const 0)))
      (i32.const 9))
    (return)
    (unreachable)))
