(module
  (func (export "switch") (param $i i32) (result i32)
    (block $default
      (block $c2
        (block $c1
          (block $c0
            (br_table $c0 $c1 $c2 $default (local.get $i)))
          (return (i32.const 100)))
        (return (i32.const 101)))
      (return (i32.const 102)))
    (i32.const -1)))
