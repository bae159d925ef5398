(module
  (func (export "classify") (param $x i32) (result i32)
    (block $neg
      (block $zero
        (block $pos
          (br_if $neg (i32.lt_s (local.get $x) (i32.const 0)))
          (br_if $zero (i32.eqz (local.get $x)))
          (br $pos))
        (return (i32.const 1)))
      (return (i32.const 0)))
    (i32.const -1)))
