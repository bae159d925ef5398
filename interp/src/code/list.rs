//! The op list: every op kind with its mnemonic, result fields and operand
//! fields, in one table that the `ops` macro turns into [`super::Op`] and
//! the executor into its handler tables.

/// Hands the op list to macro `$cb`: `ops` builds [`super::Op`] from it, and the
/// executor builds its handler tables from it (one handler per op, in order).
/// The vector ops with a kind of their own come from [`super::vector_op_table`].
macro_rules! op_list {
    ($cb:ident) => {
        $crate::code::vector_op_table! { [$crate::code::op_list] [@all $cb] }
    };
    (@all $cb:ident
        unary: [$($un:ident = $ut:literal),* $(,)?] binary: [$($bn:ident = $bt:literal),* $(,)?]
        shift: [$($sn:ident = $st:literal),* $(,)?] reduce: [$($rn:ident = $rt:literal),* $(,)?]) => {
        $cb! {
        // ---- moves and constants ----
        /// Copies one cell.
        Copy = "copy" [dst: Slot] (src: Slot);
        /// Two cell copies, in order.
        Copy2 = "copy2" [dst: Slot, dst2: Slot] (src: Slot, src2: Slot);
        /// A 32-bit constant (i32 or f32 bits), zero-extended.
        Const32 = "const32" [dst: Slot] (imm: u32);
        /// A 64-bit constant.
        Const64 = "const64" [dst: Slot] (imm: u64);
        /// Zeroes a run of cells (the declared locals a function reads).
        Zero = "zero" [] (cells: Cells);
        /// A v128 constant from the function's constant pool.
        ConstV = "vconst" [dst: VSlot] (index: u32);

        // ---- i32 arithmetic ----
        I32Add = "i32.add" [dst: Slot] (a: Slot, b: Slot);
        I32Sub = "i32.sub" [dst: Slot] (a: Slot, b: Slot);
        I32Mul = "i32.mul" [dst: Slot] (a: Slot, b: Slot);
        I32And = "i32.and" [dst: Slot] (a: Slot, b: Slot);
        I32Or = "i32.or" [dst: Slot] (a: Slot, b: Slot);
        I32Xor = "i32.xor" [dst: Slot] (a: Slot, b: Slot);
        I32Shl = "i32.shl" [dst: Slot] (a: Slot, b: Slot);
        I32ShrS = "i32.shr_s" [dst: Slot] (a: Slot, b: Slot);
        I32ShrU = "i32.shr_u" [dst: Slot] (a: Slot, b: Slot);
        I32Rotl = "i32.rotl" [dst: Slot] (a: Slot, b: Slot);
        I32Rotr = "i32.rotr" [dst: Slot] (a: Slot, b: Slot);
        I32DivS = "i32.div_s" [dst: Slot] (a: Slot, b: Slot);
        I32DivU = "i32.div_u" [dst: Slot] (a: Slot, b: Slot);
        I32RemS = "i32.rem_s" [dst: Slot] (a: Slot, b: Slot);
        I32RemU = "i32.rem_u" [dst: Slot] (a: Slot, b: Slot);
        I32AddImm = "i32.add" [dst: Slot] (a: Slot, imm: i32);
        I32SubImm = "i32.sub" [dst: Slot] (a: Slot, imm: i32);
        I32MulImm = "i32.mul" [dst: Slot] (a: Slot, imm: i32);
        I32AndImm = "i32.and" [dst: Slot] (a: Slot, imm: i32);
        I32OrImm = "i32.or" [dst: Slot] (a: Slot, imm: i32);
        I32XorImm = "i32.xor" [dst: Slot] (a: Slot, imm: i32);
        I32ShlImm = "i32.shl" [dst: Slot] (a: Slot, imm: i32);
        I32ShrSImm = "i32.shr_s" [dst: Slot] (a: Slot, imm: i32);
        I32ShrUImm = "i32.shr_u" [dst: Slot] (a: Slot, imm: i32);
        I32RotlImm = "i32.rotl" [dst: Slot] (a: Slot, imm: i32);
        I32RotrImm = "i32.rotr" [dst: Slot] (a: Slot, imm: i32);
        /// `dst = imm << b`: C's `1 << n` (a bit mask, a power of two).
        I32ImmShl = "i32.shl" [dst: Slot] (imm: i32, b: Slot);
        /// `dst = imm rotl b`: `~(1 << n)` as clang writes it (`rotl(-2, n)`).
        I32ImmRotl = "i32.rotl" [dst: Slot] (imm: i32, b: Slot);
        /// `dst = imm - b`: a negation (`0 - x`, for `x & -x`) or a complement.
        I32ImmSub = "i32.sub" [dst: Slot] (imm: i32, b: Slot);
        /// `dst = a + (b << k)`: an array element's address, one op (and one
        /// cell write and read fewer on the address's dependency chain).
        I32ShlAdd = "i32.shl_add" [dst: Slot] (a: Slot, b: Slot, k: u8);
        /// `dst = (a >> k) & mask` (unsigned shift): a bit field, one op.
        I32ShrUAnd = "i32.shr_u_and" [dst: Slot] (a: Slot, k: u8, mask: i32);
        /// `dst = base + ((a >>u k) & mask)`: a field of an instruction word
        /// used as an offset (a bytecode VM's register operand).
        I32AddShrUAnd = "i32.add_shr_u_and" [dst: Slot] (base: Slot, a: Slot, k: u8, mask: i32);
        /// `dst = (a ^ b) & mask`: a table index from a running checksum
        /// (crc's `(crc ^ byte) & 0xff`).
        I32XorAnd = "i32.xor_and" [dst: Slot] (a: Slot, b: Slot, mask: i32);
        /// `dst = (a + b) & mask`: a ring buffer's wrapped position.
        I32AddAnd = "i32.add_and" [dst: Slot] (a: Slot, b: Slot, mask: i32);
        /// `dst = (a << k) ^ b` and `dst = (a >>u k) ^ b`: a shift-register
        /// step (xorshift, crc's `crc >> 8 ^ t[..]`).
        I32ShlXor = "i32.shl_xor" [dst: Slot] (a: Slot, k: u8, b: Slot);
        I32ShrUXor = "i32.shr_u_xor" [dst: Slot] (a: Slot, k: u8, b: Slot);
        I32DivSImm = "i32.div_s" [dst: Slot] (a: Slot, imm: i32);
        I32DivUImm = "i32.div_u" [dst: Slot] (a: Slot, imm: i32);
        I32RemSImm = "i32.rem_s" [dst: Slot] (a: Slot, imm: i32);
        I32RemUImm = "i32.rem_u" [dst: Slot] (a: Slot, imm: i32);
        I32Clz = "i32.clz" [dst: Slot] (a: Slot);
        I32Ctz = "i32.ctz" [dst: Slot] (a: Slot);
        I32Popcnt = "i32.popcnt" [dst: Slot] (a: Slot);
        I32Extend8S = "i32.extend8_s" [dst: Slot] (a: Slot);
        I32Extend16S = "i32.extend16_s" [dst: Slot] (a: Slot);
        I32WrapI64 = "i32.wrap_i64" [dst: Slot] (a: Slot);

        // ---- i64 arithmetic ----
        I64Add = "i64.add" [dst: Slot] (a: Slot, b: Slot);
        I64Sub = "i64.sub" [dst: Slot] (a: Slot, b: Slot);
        I64Mul = "i64.mul" [dst: Slot] (a: Slot, b: Slot);
        I64And = "i64.and" [dst: Slot] (a: Slot, b: Slot);
        I64Or = "i64.or" [dst: Slot] (a: Slot, b: Slot);
        I64Xor = "i64.xor" [dst: Slot] (a: Slot, b: Slot);
        I64Shl = "i64.shl" [dst: Slot] (a: Slot, b: Slot);
        I64ShrS = "i64.shr_s" [dst: Slot] (a: Slot, b: Slot);
        I64ShrU = "i64.shr_u" [dst: Slot] (a: Slot, b: Slot);
        I64Rotl = "i64.rotl" [dst: Slot] (a: Slot, b: Slot);
        I64Rotr = "i64.rotr" [dst: Slot] (a: Slot, b: Slot);
        I64DivS = "i64.div_s" [dst: Slot] (a: Slot, b: Slot);
        I64DivU = "i64.div_u" [dst: Slot] (a: Slot, b: Slot);
        I64RemS = "i64.rem_s" [dst: Slot] (a: Slot, b: Slot);
        I64RemU = "i64.rem_u" [dst: Slot] (a: Slot, b: Slot);
        I64AddImm = "i64.add" [dst: Slot] (a: Slot, imm: i64);
        I64SubImm = "i64.sub" [dst: Slot] (a: Slot, imm: i64);
        I64MulImm = "i64.mul" [dst: Slot] (a: Slot, imm: i64);
        I64AndImm = "i64.and" [dst: Slot] (a: Slot, imm: i64);
        I64OrImm = "i64.or" [dst: Slot] (a: Slot, imm: i64);
        I64XorImm = "i64.xor" [dst: Slot] (a: Slot, imm: i64);
        I64ShlImm = "i64.shl" [dst: Slot] (a: Slot, imm: i64);
        I64ShrSImm = "i64.shr_s" [dst: Slot] (a: Slot, imm: i64);
        I64ShrUImm = "i64.shr_u" [dst: Slot] (a: Slot, imm: i64);
        I64RotlImm = "i64.rotl" [dst: Slot] (a: Slot, imm: i64);
        I64RotrImm = "i64.rotr" [dst: Slot] (a: Slot, imm: i64);
        /// `dst = (a >>u k) & mask`, as [`Op::I32ShrUAnd`].
        I64ShrUAnd = "i64.shr_u_and" [dst: Slot] (a: Slot, k: u8, mask: i64);
        /// `dst = (a ^ b) * imm`: a multiplicative hash step (FNV-1a).
        I64XorMul = "i64.xor_mul" [dst: Slot] (a: Slot, b: Slot, imm: i64);
        /// As [`Op::I32ShlXor`] and [`Op::I32ShrUXor`].
        I64ShlXor = "i64.shl_xor" [dst: Slot] (a: Slot, k: u8, b: Slot);
        I64ShrUXor = "i64.shr_u_xor" [dst: Slot] (a: Slot, k: u8, b: Slot);
        I64DivSImm = "i64.div_s" [dst: Slot] (a: Slot, imm: i64);
        I64DivUImm = "i64.div_u" [dst: Slot] (a: Slot, imm: i64);
        I64RemSImm = "i64.rem_s" [dst: Slot] (a: Slot, imm: i64);
        I64RemUImm = "i64.rem_u" [dst: Slot] (a: Slot, imm: i64);
        I64Clz = "i64.clz" [dst: Slot] (a: Slot);
        I64Ctz = "i64.ctz" [dst: Slot] (a: Slot);
        I64Popcnt = "i64.popcnt" [dst: Slot] (a: Slot);
        I64Extend8S = "i64.extend8_s" [dst: Slot] (a: Slot);
        I64Extend16S = "i64.extend16_s" [dst: Slot] (a: Slot);
        I64Extend32S = "i64.extend32_s" [dst: Slot] (a: Slot);
        I64ExtendI32S = "i64.extend_i32_s" [dst: Slot] (a: Slot);

        // ---- integer comparisons (i32 result 0/1) ----
        I32Eq = "i32.eq" [dst: Slot] (a: Slot, b: Slot);
        I32Ne = "i32.ne" [dst: Slot] (a: Slot, b: Slot);
        I32LtS = "i32.lt_s" [dst: Slot] (a: Slot, b: Slot);
        I32LtU = "i32.lt_u" [dst: Slot] (a: Slot, b: Slot);
        I32GtS = "i32.gt_s" [dst: Slot] (a: Slot, b: Slot);
        I32GtU = "i32.gt_u" [dst: Slot] (a: Slot, b: Slot);
        I32LeS = "i32.le_s" [dst: Slot] (a: Slot, b: Slot);
        I32LeU = "i32.le_u" [dst: Slot] (a: Slot, b: Slot);
        I32GeS = "i32.ge_s" [dst: Slot] (a: Slot, b: Slot);
        I32GeU = "i32.ge_u" [dst: Slot] (a: Slot, b: Slot);
        I32EqImm = "i32.eq" [dst: Slot] (a: Slot, imm: i32);
        I32NeImm = "i32.ne" [dst: Slot] (a: Slot, imm: i32);
        I32LtSImm = "i32.lt_s" [dst: Slot] (a: Slot, imm: i32);
        I32LtUImm = "i32.lt_u" [dst: Slot] (a: Slot, imm: i32);
        I32GtSImm = "i32.gt_s" [dst: Slot] (a: Slot, imm: i32);
        I32GtUImm = "i32.gt_u" [dst: Slot] (a: Slot, imm: i32);
        I32LeSImm = "i32.le_s" [dst: Slot] (a: Slot, imm: i32);
        I32LeUImm = "i32.le_u" [dst: Slot] (a: Slot, imm: i32);
        I32GeSImm = "i32.ge_s" [dst: Slot] (a: Slot, imm: i32);
        I32GeUImm = "i32.ge_u" [dst: Slot] (a: Slot, imm: i32);
        I64Eq = "i64.eq" [dst: Slot] (a: Slot, b: Slot);
        I64Ne = "i64.ne" [dst: Slot] (a: Slot, b: Slot);
        I64LtS = "i64.lt_s" [dst: Slot] (a: Slot, b: Slot);
        I64LtU = "i64.lt_u" [dst: Slot] (a: Slot, b: Slot);
        I64GtS = "i64.gt_s" [dst: Slot] (a: Slot, b: Slot);
        I64GtU = "i64.gt_u" [dst: Slot] (a: Slot, b: Slot);
        I64LeS = "i64.le_s" [dst: Slot] (a: Slot, b: Slot);
        I64LeU = "i64.le_u" [dst: Slot] (a: Slot, b: Slot);
        I64GeS = "i64.ge_s" [dst: Slot] (a: Slot, b: Slot);
        I64GeU = "i64.ge_u" [dst: Slot] (a: Slot, b: Slot);
        I64EqImm = "i64.eq" [dst: Slot] (a: Slot, imm: i64);
        I64NeImm = "i64.ne" [dst: Slot] (a: Slot, imm: i64);
        I64LtSImm = "i64.lt_s" [dst: Slot] (a: Slot, imm: i64);
        I64LtUImm = "i64.lt_u" [dst: Slot] (a: Slot, imm: i64);
        I64GtSImm = "i64.gt_s" [dst: Slot] (a: Slot, imm: i64);
        I64GtUImm = "i64.gt_u" [dst: Slot] (a: Slot, imm: i64);
        I64LeSImm = "i64.le_s" [dst: Slot] (a: Slot, imm: i64);
        I64LeUImm = "i64.le_u" [dst: Slot] (a: Slot, imm: i64);
        I64GeSImm = "i64.ge_s" [dst: Slot] (a: Slot, imm: i64);
        I64GeUImm = "i64.ge_u" [dst: Slot] (a: Slot, imm: i64);

        // ---- floats ----
        F32Add = "f32.add" [dst: Slot] (a: Slot, b: Slot);
        F32Sub = "f32.sub" [dst: Slot] (a: Slot, b: Slot);
        F32Mul = "f32.mul" [dst: Slot] (a: Slot, b: Slot);
        F32Div = "f32.div" [dst: Slot] (a: Slot, b: Slot);
        F32Min = "f32.min" [dst: Slot] (a: Slot, b: Slot);
        F32Max = "f32.max" [dst: Slot] (a: Slot, b: Slot);
        F32Copysign = "f32.copysign" [dst: Slot] (a: Slot, b: Slot);
        F32Abs = "f32.abs" [dst: Slot] (a: Slot);
        F32Neg = "f32.neg" [dst: Slot] (a: Slot);
        F32Sqrt = "f32.sqrt" [dst: Slot] (a: Slot);
        F32Ceil = "f32.ceil" [dst: Slot] (a: Slot);
        F32Floor = "f32.floor" [dst: Slot] (a: Slot);
        F32Trunc = "f32.trunc" [dst: Slot] (a: Slot);
        F32Nearest = "f32.nearest" [dst: Slot] (a: Slot);
        F64Add = "f64.add" [dst: Slot] (a: Slot, b: Slot);
        F64Sub = "f64.sub" [dst: Slot] (a: Slot, b: Slot);
        F64Mul = "f64.mul" [dst: Slot] (a: Slot, b: Slot);
        F64Div = "f64.div" [dst: Slot] (a: Slot, b: Slot);
        F64Min = "f64.min" [dst: Slot] (a: Slot, b: Slot);
        F64Max = "f64.max" [dst: Slot] (a: Slot, b: Slot);
        F64Copysign = "f64.copysign" [dst: Slot] (a: Slot, b: Slot);
        F64Abs = "f64.abs" [dst: Slot] (a: Slot);
        F64Neg = "f64.neg" [dst: Slot] (a: Slot);
        F64Sqrt = "f64.sqrt" [dst: Slot] (a: Slot);
        F64Ceil = "f64.ceil" [dst: Slot] (a: Slot);
        F64Floor = "f64.floor" [dst: Slot] (a: Slot);
        F64Trunc = "f64.trunc" [dst: Slot] (a: Slot);
        F64Nearest = "f64.nearest" [dst: Slot] (a: Slot);
        /// `dst = (a X b) Y c` (`f64.mul_add`: `a * b + c`; `rsub`: `c - (a X b)`),
        /// X's result used only here: a float expression's dependent step in
        /// one op, rounded twice like the two Wasm instructions.
        F32AddAdd = "f32.add_add" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32AddSub = "f32.add_sub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32AddRsub = "f32.add_rsub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32AddMul = "f32.add_mul" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32SubAdd = "f32.sub_add" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32SubSub = "f32.sub_sub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32SubRsub = "f32.sub_rsub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32SubMul = "f32.sub_mul" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32MulAdd = "f32.mul_add" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32MulSub = "f32.mul_sub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32MulRsub = "f32.mul_rsub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32MulMul = "f32.mul_mul" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64AddAdd = "f64.add_add" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64AddSub = "f64.add_sub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64AddRsub = "f64.add_rsub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64AddMul = "f64.add_mul" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64SubAdd = "f64.sub_add" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64SubSub = "f64.sub_sub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64SubRsub = "f64.sub_rsub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64SubMul = "f64.sub_mul" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64MulAdd = "f64.mul_add" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64MulSub = "f64.mul_sub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64MulRsub = "f64.mul_rsub" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F64MulMul = "f64.mul_mul" [dst: Slot] (a: Slot, b: Slot, c: Slot);
        F32Eq = "f32.eq" [dst: Slot] (a: Slot, b: Slot);
        F32Ne = "f32.ne" [dst: Slot] (a: Slot, b: Slot);
        F32Lt = "f32.lt" [dst: Slot] (a: Slot, b: Slot);
        F32Gt = "f32.gt" [dst: Slot] (a: Slot, b: Slot);
        F32Le = "f32.le" [dst: Slot] (a: Slot, b: Slot);
        F32Ge = "f32.ge" [dst: Slot] (a: Slot, b: Slot);
        F64Eq = "f64.eq" [dst: Slot] (a: Slot, b: Slot);
        F64Ne = "f64.ne" [dst: Slot] (a: Slot, b: Slot);
        F64Lt = "f64.lt" [dst: Slot] (a: Slot, b: Slot);
        F64Gt = "f64.gt" [dst: Slot] (a: Slot, b: Slot);
        F64Le = "f64.le" [dst: Slot] (a: Slot, b: Slot);
        F64Ge = "f64.ge" [dst: Slot] (a: Slot, b: Slot);

        // ---- conversions ----
        F32DemoteF64 = "f32.demote_f64" [dst: Slot] (a: Slot);
        F64PromoteF32 = "f64.promote_f32" [dst: Slot] (a: Slot);
        I32TruncF32S = "i32.trunc_f32_s" [dst: Slot] (a: Slot);
        I32TruncF32U = "i32.trunc_f32_u" [dst: Slot] (a: Slot);
        I32TruncF64S = "i32.trunc_f64_s" [dst: Slot] (a: Slot);
        I32TruncF64U = "i32.trunc_f64_u" [dst: Slot] (a: Slot);
        I64TruncF32S = "i64.trunc_f32_s" [dst: Slot] (a: Slot);
        I64TruncF32U = "i64.trunc_f32_u" [dst: Slot] (a: Slot);
        I64TruncF64S = "i64.trunc_f64_s" [dst: Slot] (a: Slot);
        I64TruncF64U = "i64.trunc_f64_u" [dst: Slot] (a: Slot);
        I32TruncSatF32S = "i32.trunc_sat_f32_s" [dst: Slot] (a: Slot);
        I32TruncSatF32U = "i32.trunc_sat_f32_u" [dst: Slot] (a: Slot);
        I32TruncSatF64S = "i32.trunc_sat_f64_s" [dst: Slot] (a: Slot);
        I32TruncSatF64U = "i32.trunc_sat_f64_u" [dst: Slot] (a: Slot);
        I64TruncSatF32S = "i64.trunc_sat_f32_s" [dst: Slot] (a: Slot);
        I64TruncSatF32U = "i64.trunc_sat_f32_u" [dst: Slot] (a: Slot);
        I64TruncSatF64S = "i64.trunc_sat_f64_s" [dst: Slot] (a: Slot);
        I64TruncSatF64U = "i64.trunc_sat_f64_u" [dst: Slot] (a: Slot);
        F32ConvertI32S = "f32.convert_i32_s" [dst: Slot] (a: Slot);
        F32ConvertI32U = "f32.convert_i32_u" [dst: Slot] (a: Slot);
        F32ConvertI64S = "f32.convert_i64_s" [dst: Slot] (a: Slot);
        F32ConvertI64U = "f32.convert_i64_u" [dst: Slot] (a: Slot);
        F64ConvertI32S = "f64.convert_i32_s" [dst: Slot] (a: Slot);
        F64ConvertI32U = "f64.convert_i32_u" [dst: Slot] (a: Slot);
        F64ConvertI64S = "f64.convert_i64_s" [dst: Slot] (a: Slot);
        F64ConvertI64U = "f64.convert_i64_u" [dst: Slot] (a: Slot);

        // ---- select ----
        /// `dst = c != 0 ? a : b` on one cell.
        Select = "select" [dst: Slot] (c: Slot, a: Slot, b: Slot);
        /// `select` on a v128.
        SelectV = "select.v128" [dst: VSlot] (c: Slot, a: VSlot, b: VSlot);
        /// `dst = cond(a, b) ? x : y` with an i32 compare: `select` on a
        /// compare (a min or max), one op.
        SelectI32Cmp = "select.i32" [dst: Slot] (cond: IntCC, a: Slot, b: Slot, x: Slot, y: Slot);
        SelectI32CmpImm = "select.i32" [dst: Slot] (cond: IntCC, a: Slot, imm: i32, x: Slot, y: Slot);
        SelectI64Cmp = "select.i64" [dst: Slot] (cond: IntCC, a: Slot, b: Slot, x: Slot, y: Slot);
        /// The same with an i64 compare against a constant that fits 32 bits (sign-extended).
        SelectI64CmpImm = "select.i64" [dst: Slot] (cond: IntCC, a: Slot, imm: i32, x: Slot, y: Slot);

        // ---- raw loads and stores at `addr + offset` (VM context, or an address the IR checked) ----
        Load8U = "load8_u" [dst: Slot] (addr: Slot, offset: u32);
        Load8S32 = "load8_s.i32" [dst: Slot] (addr: Slot, offset: u32);
        Load8S64 = "load8_s.i64" [dst: Slot] (addr: Slot, offset: u32);
        Load16U = "load16_u" [dst: Slot] (addr: Slot, offset: u32);
        Load16S32 = "load16_s.i32" [dst: Slot] (addr: Slot, offset: u32);
        Load16S64 = "load16_s.i64" [dst: Slot] (addr: Slot, offset: u32);
        Load32 = "load32" [dst: Slot] (addr: Slot, offset: u32);
        Load32S64 = "load32_s.i64" [dst: Slot] (addr: Slot, offset: u32);
        Load64 = "load64" [dst: Slot] (addr: Slot, offset: u32);
        /// Any v128 load kind.
        LoadV = "load.v128" [dst: VSlot] (addr: Slot, offset: u32, kind: LoadKind);
        LoadLane = "load_lane" [dst: VSlot] (addr: Slot, vec: VSlot, offset: u32, shape: LaneShape, lane: u8);
        Store8 = "store8" [] (addr: Slot, value: Slot, offset: u32);
        Store16 = "store16" [] (addr: Slot, value: Slot, offset: u32);
        Store32 = "store32" [] (addr: Slot, value: Slot, offset: u32);
        Store64 = "store64" [] (addr: Slot, value: Slot, offset: u32);
        StoreV = "store.v128" [] (addr: Slot, value: VSlot, offset: u32);
        StoreLane = "store_lane" [] (addr: Slot, vec: VSlot, offset: u32, shape: LaneShape, lane: u8);

        // ---- bounds-checked linear-memory accesses; `memory` is where the VM context holds the VmMemory pointer ----
        MemLoad8U = "mem.load8_u" [dst: Slot] (memory: VmOff, index: Slot, add: Addend, offset: u32);
        MemLoad8S32 = "mem.load8_s.i32" [dst: Slot] (memory: VmOff, index: Slot, add: Addend, offset: u32);
        MemLoad8S64 = "mem.load8_s.i64" [dst: Slot] (memory: VmOff, index: Slot, add: Addend, offset: u32);
        MemLoad16U = "mem.load16_u" [dst: Slot] (memory: VmOff, index: Slot, add: Addend, offset: u32);
        MemLoad16S32 = "mem.load16_s.i32" [dst: Slot] (memory: VmOff, index: Slot, add: Addend, offset: u32);
        MemLoad16S64 = "mem.load16_s.i64" [dst: Slot] (memory: VmOff, index: Slot, add: Addend, offset: u32);
        MemLoad32 = "mem.load32" [dst: Slot] (memory: VmOff, index: Slot, add: Addend, offset: u32);
        MemLoad32S64 = "mem.load32_s.i64" [dst: Slot] (memory: VmOff, index: Slot, add: Addend, offset: u32);
        MemLoad64 = "mem.load64" [dst: Slot] (memory: VmOff, index: Slot, add: Addend, offset: u32);
        /// `v128.load`; like the scalar ones, it folds an `i32.add x, K` of its index.
        MemLoadV = "mem.load.v128" [dst: VSlot] (memory: VmOff, index: Slot, add: Addend, offset: u32);
        /// The other v128 load kinds (extending, splat, zero-filling).
        MemLoadVExt = "mem.load.v128" [dst: VSlot] (memory: VmOff, index: Slot, offset: u32, kind: LoadKind);
        MemLoadLane = "mem.load_lane"
            [dst: VSlot] (memory: VmOff, index: Slot, vec: VSlot, offset: u32, shape: LaneShape, lane: u8);
        MemStore8 = "mem.store8" [] (memory: VmOff, index: Slot, add: Addend, value: Slot, offset: u32);
        MemStore16 = "mem.store16" [] (memory: VmOff, index: Slot, add: Addend, value: Slot, offset: u32);
        MemStore32 = "mem.store32" [] (memory: VmOff, index: Slot, add: Addend, value: Slot, offset: u32);
        MemStore64 = "mem.store64" [] (memory: VmOff, index: Slot, add: Addend, value: Slot, offset: u32);
        MemStoreV = "mem.store.v128" [] (memory: VmOff, index: Slot, add: Addend, value: VSlot, offset: u32);
        MemStoreLane = "mem.store_lane"
            [] (memory: VmOff, index: Slot, vec: VSlot, offset: u32, shape: LaneShape, lane: u8);

        // ---- the same at a constant address (C's static data): one op instead of a check and a raw access ----
        MemLoad8UAt = "mem.load8_u" [dst: Slot] (memory: VmOff, addr: Abs);
        MemLoad8S32At = "mem.load8_s.i32" [dst: Slot] (memory: VmOff, addr: Abs);
        MemLoad8S64At = "mem.load8_s.i64" [dst: Slot] (memory: VmOff, addr: Abs);
        MemLoad16UAt = "mem.load16_u" [dst: Slot] (memory: VmOff, addr: Abs);
        MemLoad16S32At = "mem.load16_s.i32" [dst: Slot] (memory: VmOff, addr: Abs);
        MemLoad16S64At = "mem.load16_s.i64" [dst: Slot] (memory: VmOff, addr: Abs);
        MemLoad32At = "mem.load32" [dst: Slot] (memory: VmOff, addr: Abs);
        MemLoad32S64At = "mem.load32_s.i64" [dst: Slot] (memory: VmOff, addr: Abs);
        MemLoad64At = "mem.load64" [dst: Slot] (memory: VmOff, addr: Abs);
        MemStore8At = "mem.store8" [] (memory: VmOff, addr: Abs, value: Slot);
        MemStore16At = "mem.store16" [] (memory: VmOff, addr: Abs, value: Slot);
        MemStore32At = "mem.store32" [] (memory: VmOff, addr: Abs, value: Slot);
        MemStore64At = "mem.store64" [] (memory: VmOff, addr: Abs, value: Slot);

        // ---- the same at `base + (index << log2 size) + add`, all in 32 bits (an array element) ----
        MemLoad8UX = "mem.load8_u" [dst: Slot] (base: Slot, index: Scaled<0>, add: Addend, offset: u32);
        MemLoad8S32X = "mem.load8_s.i32" [dst: Slot] (base: Slot, index: Scaled<0>, add: Addend, offset: u32);
        MemLoad8S64X = "mem.load8_s.i64" [dst: Slot] (base: Slot, index: Scaled<0>, add: Addend, offset: u32);
        MemLoad16UX = "mem.load16_u" [dst: Slot] (base: Slot, index: Scaled<1>, add: Addend, offset: u32);
        MemLoad16S32X = "mem.load16_s.i32" [dst: Slot] (base: Slot, index: Scaled<1>, add: Addend, offset: u32);
        MemLoad16S64X = "mem.load16_s.i64" [dst: Slot] (base: Slot, index: Scaled<1>, add: Addend, offset: u32);
        MemLoad32X = "mem.load32" [dst: Slot] (base: Slot, index: Scaled<2>, add: Addend, offset: u32);
        MemLoad32S64X = "mem.load32_s.i64" [dst: Slot] (base: Slot, index: Scaled<2>, add: Addend, offset: u32);
        MemLoad64X = "mem.load64" [dst: Slot] (base: Slot, index: Scaled<3>, add: Addend, offset: u32);
        MemStore8X = "mem.store8" [] (base: Slot, index: Scaled<0>, add: Addend, value: Slot, offset: u32);
        MemStore16X = "mem.store16" [] (base: Slot, index: Scaled<1>, add: Addend, value: Slot, offset: u32);
        MemStore32X = "mem.store32" [] (base: Slot, index: Scaled<2>, add: Addend, value: Slot, offset: u32);
        MemStore64X = "mem.store64" [] (base: Slot, index: Scaled<3>, add: Addend, value: Slot, offset: u32);
        // ---- the same at `(index << log2 size) + add` (an element of a static array) ----
        MemLoad16UScaled = "mem.load16_u" [dst: Slot] (index: Index<1>, add: Addend, offset: u32);
        MemLoad16S32Scaled = "mem.load16_s.i32" [dst: Slot] (index: Index<1>, add: Addend, offset: u32);
        MemLoad16S64Scaled = "mem.load16_s.i64" [dst: Slot] (index: Index<1>, add: Addend, offset: u32);
        MemLoad32Scaled = "mem.load32" [dst: Slot] (index: Index<2>, add: Addend, offset: u32);
        MemLoad32S64Scaled = "mem.load32_s.i64" [dst: Slot] (index: Index<2>, add: Addend, offset: u32);
        MemLoad64Scaled = "mem.load64" [dst: Slot] (index: Index<3>, add: Addend, offset: u32);
        MemStore16Scaled = "mem.store16" [] (index: Index<1>, add: Addend, value: Slot, offset: u32);
        MemStore32Scaled = "mem.store32" [] (index: Index<2>, add: Addend, value: Slot, offset: u32);
        MemStore64Scaled = "mem.store64" [] (index: Index<3>, add: Addend, value: Slot, offset: u32);

        // ---- call_indirect's table lookup ----
        /// The function at `index` of the table whose `VmTable` pointer is at
        /// `table` in the VM context, with all three checks of the lowering
        /// (index in bounds, element not null, type id equal to the one at
        /// `sig` in the VM context): its handle and VM context, for the
        /// `call_indirect` after it. One op instead of twelve.
        FuncRef = "funcref" [handle: Slot, vmctx: Slot] (table: VmOff, index: Slot, sig: VmOff);

        // ---- scalar accesses through a pointer in the VM context: `*(*(vmctx + field) + offset)` ----
        VmLoad32 = "vm.load32" [dst: Slot] (field: VmOff, offset: u32);
        VmLoad64 = "vm.load64" [dst: Slot] (field: VmOff, offset: u32);
        VmStore32 = "vm.store32" [] (field: VmOff, value: Slot, offset: u32);
        /// `dst = (cell += imm)` on an i32 cell reached through the VM
        /// context (a global): C's stack-pointer prologue, `sp -= frame`.
        VmAddImm32 = "vm.add32" [dst: Slot] (field: VmOff, imm: i32, offset: u32);
        /// `dst = a + imm; cell = dst` (i32): the epilogue, `sp = fp + frame`.
        VmStoreAddImm32 = "vm.store_add32" [dst: Slot] (field: VmOff, a: Slot, imm: i32, offset: u32);
        VmStore64 = "vm.store64" [] (field: VmOff, value: Slot, offset: u32);

        // ---- SIMD: one op per vector op of the table (`s4 = i32x4.add s0, s2`) ----
        $( $un = $ut [dst: VSlot] (a: VSlot); )*
        $( $bn = $bt [dst: VSlot] (a: VSlot, b: VSlot); )*
        $( $sn = $st [dst: VSlot] (a: VSlot, b: Slot); )*
        $( $rn = $rt [dst: Slot] (a: VSlot); )*
        // The vector families with few ops keep one op kind each.
        /// `v128.bitselect`.
        VTernary = "vternary" [dst: VSlot] (op: VecOp, a: VSlot, b: VSlot, c: VSlot);
        /// A splat: scalar -> v128.
        VSplat = "vsplat" [dst: VSlot] (op: VecOp, a: Slot);
        /// `i8x16.shuffle` with the mask at `mask` in the constant pool.
        Shuffle = "shuffle" [dst: VSlot] (a: VSlot, b: VSlot, mask: u32);
        ExtractLane = "extractlane" [dst: Slot] (src: VSlot, shape: LaneShape, lane: u8);
        InsertLane = "insertlane" [dst: VSlot] (vec: VSlot, scalar: Slot, shape: LaneShape, lane: u8);

        // ---- control ----
        Jump = "jump" [] (target: Target);
        /// A copy and the jump after it (an edge's one move): one dispatch.
        CopyJump = "copy_jump" [dst: Slot] (src: Slot, target: Target);
        /// A 32-bit constant and the jump after it (an edge's constant): one dispatch.
        Const32Jump = "const32_jump" [dst: Slot] (imm: u32, target: Target);
        /// Two copies and the jump after them (an edge's two moves): one dispatch.
        Copy2Jump = "copy2_jump" [dst: Slot, dst2: Slot] (src: Slot, src2: Slot, target: Target);
        BrIf = "br_if" [] (c: Slot, target: Target);
        BrIfNot = "br_if_not" [] (c: Slot, target: Target);
        /// Branch if `a & mask != 0` (i32): a flag test, `if (x & FLAG)`.
        BrI32AndNz = "br_and_nz.i32" [] (a: Slot, mask: i32, target: Target);
        /// Branch if `a & mask == 0` (i32).
        BrI32AndZ = "br_and_z.i32" [] (a: Slot, mask: i32, target: Target);
        BrI32Eq = "br_i32.eq" [] (a: Slot, b: Slot, target: Target);
        BrI32Ne = "br_i32.ne" [] (a: Slot, b: Slot, target: Target);
        BrI32LtS = "br_i32.lt_s" [] (a: Slot, b: Slot, target: Target);
        BrI32LtU = "br_i32.lt_u" [] (a: Slot, b: Slot, target: Target);
        BrI32GtS = "br_i32.gt_s" [] (a: Slot, b: Slot, target: Target);
        BrI32GtU = "br_i32.gt_u" [] (a: Slot, b: Slot, target: Target);
        BrI32LeS = "br_i32.le_s" [] (a: Slot, b: Slot, target: Target);
        BrI32LeU = "br_i32.le_u" [] (a: Slot, b: Slot, target: Target);
        BrI32GeS = "br_i32.ge_s" [] (a: Slot, b: Slot, target: Target);
        BrI32GeU = "br_i32.ge_u" [] (a: Slot, b: Slot, target: Target);
        BrI32EqImm = "br_i32.eq" [] (a: Slot, imm: i32, target: Target);
        BrI32NeImm = "br_i32.ne" [] (a: Slot, imm: i32, target: Target);
        BrI32LtSImm = "br_i32.lt_s" [] (a: Slot, imm: i32, target: Target);
        BrI32LtUImm = "br_i32.lt_u" [] (a: Slot, imm: i32, target: Target);
        BrI32GtSImm = "br_i32.gt_s" [] (a: Slot, imm: i32, target: Target);
        BrI32GtUImm = "br_i32.gt_u" [] (a: Slot, imm: i32, target: Target);
        BrI32LeSImm = "br_i32.le_s" [] (a: Slot, imm: i32, target: Target);
        BrI32LeUImm = "br_i32.le_u" [] (a: Slot, imm: i32, target: Target);
        BrI32GeSImm = "br_i32.ge_s" [] (a: Slot, imm: i32, target: Target);
        BrI32GeUImm = "br_i32.ge_u" [] (a: Slot, imm: i32, target: Target);
        BrI64Eq = "br_i64.eq" [] (a: Slot, b: Slot, target: Target);
        BrI64Ne = "br_i64.ne" [] (a: Slot, b: Slot, target: Target);
        BrI64LtS = "br_i64.lt_s" [] (a: Slot, b: Slot, target: Target);
        BrI64LtU = "br_i64.lt_u" [] (a: Slot, b: Slot, target: Target);
        BrI64GtS = "br_i64.gt_s" [] (a: Slot, b: Slot, target: Target);
        BrI64GtU = "br_i64.gt_u" [] (a: Slot, b: Slot, target: Target);
        BrI64LeS = "br_i64.le_s" [] (a: Slot, b: Slot, target: Target);
        BrI64LeU = "br_i64.le_u" [] (a: Slot, b: Slot, target: Target);
        BrI64GeS = "br_i64.ge_s" [] (a: Slot, b: Slot, target: Target);
        BrI64GeU = "br_i64.ge_u" [] (a: Slot, b: Slot, target: Target);
        BrI64EqImm = "br_i64.eq" [] (a: Slot, imm: i64, target: Target);
        BrI64NeImm = "br_i64.ne" [] (a: Slot, imm: i64, target: Target);
        BrI64LtSImm = "br_i64.lt_s" [] (a: Slot, imm: i64, target: Target);
        BrI64LtUImm = "br_i64.lt_u" [] (a: Slot, imm: i64, target: Target);
        BrI64GtSImm = "br_i64.gt_s" [] (a: Slot, imm: i64, target: Target);
        BrI64GtUImm = "br_i64.gt_u" [] (a: Slot, imm: i64, target: Target);
        BrI64LeSImm = "br_i64.le_s" [] (a: Slot, imm: i64, target: Target);
        BrI64LeUImm = "br_i64.le_u" [] (a: Slot, imm: i64, target: Target);
        BrI64GeSImm = "br_i64.ge_s" [] (a: Slot, imm: i64, target: Target);
        BrI64GeUImm = "br_i64.ge_u" [] (a: Slot, imm: i64, target: Target);
        /// Loop latch: `dst = dst + imm` (i32), then branch if `dst != b`.
        AddBrI32Ne = "i32.add_br_ne" [dst: Slot] (imm: i32, b: Slot, target: Target);
        /// Loop latch: `dst = dst + imm` (i32), then branch if `dst != k`.
        AddBrI32NeImm = "i32.add_br_ne" [dst: Slot] (imm: i32, k: i32, target: Target);
        /// Loop latch: `dst = dst + imm` (i64, `imm` sign-extended), then branch if `dst != b`.
        AddBrI64Ne = "i64.add_br_ne" [dst: Slot] (imm: i32, b: Slot, target: Target);
        /// Loop latch: `dst = dst + imm` (i64), then branch if `dst != k` (both sign-extended).
        AddBrI64NeImm = "i64.add_br_ne" [dst: Slot] (imm: i32, k: i32, target: Target);
        /// Branch if the f32 comparison holds (false on NaN except `ne`).
        BrF32 = "br_f32" [] (cond: FloatCC, a: Slot, b: Slot, target: Target);
        /// Branch if the f32 comparison does not hold.
        BrF32Not = "br_not_f32" [] (cond: FloatCC, a: Slot, b: Slot, target: Target);
        BrF64 = "br_f64" [] (cond: FloatCC, a: Slot, b: Slot, target: Target);
        BrF64Not = "br_not_f64" [] (cond: FloatCC, a: Slot, b: Slot, target: Target);
        /// Jumps to `tables[table][min(index, len - 1)]` (the last entry is the default).
        BrTable = "br_table" [] (index: Slot, table: u32);
        /// [`Op::BrTable`] on `index + add` (i32, wrapping): a C `switch` whose
        /// cases start above 0 subtracts the lowest first.
        BrTableAdd = "br_table" [] (index: Slot, add: i32, table: u32);
        /// [`Op::BrTable`] on the i32 at `base + index * 4 + offset` in the
        /// function's fused memory: a bytecode VM's `switch (code[pc])`, so the
        /// dispatch does not wait for the loaded opcode to go through a cell.
        BrTableLoad32X = "br_table" [] (base: Slot, index: Scaled<2>, offset: u32, table: u32);
        /// [`Op::BrTable`] on `bradd` plus the i32 at `index * 4 + add` (a
        /// static table of the fused memory): the `switch` over a table that
        /// maps opcodes to cases (Lua's dispatch).
        BrTableAddLoad32Scaled = "br_table" [] (index: Index<2>, add: Addend, bradd: i32, table: u32);
        Return0 = "return" [] ();
        Return1 = "return" [] (src: Slot);
        /// Returns the cells listed in `returns[list]`.
        ReturnN = "return_n" [] (list: u32);
        /// Direct call, described by `calls[desc]`.
        Call = "call" [] (desc: u32);
        /// [`Op::Call`] with its argument cells (`calls[desc].args`) inline.
        CallShort = "call" [] (desc: u32, args: CallCells);
        /// Call through a function handle, described by `calls[desc]`.
        CallIndirect = "call_indirect" [] (desc: u32);
        /// [`Op::FuncRef`] and the [`Op::CallIndirect`] after it, whose handle
        /// and VM context cells (`calls[desc].args[..2]`) it writes: one
        /// dispatch fewer per `call_indirect`, and the callee's handle and VM
        /// context stay in registers.
        CallTable = "call_table" [] (desc: u32, table: VmOff, index: Slot, sig: VmOff);
        /// Call through the VM context's builtin table, described by `builtins[desc]`.
        CallBuiltin = "call_builtin" [] (desc: u32);
        Trap = "trap" [] (code: TrapCode);
        Trapz = "trapz" [] (c: Slot, code: TrapCode);
        Trapnz = "trapnz" [] (c: Slot, code: TrapCode);
        /// Traps with `code` if the i32 comparison holds.
        TrapIfI32 = "trap_if.i32" [] (cond: IntCC, a: Slot, b: Slot, code: TrapCode);
        TrapIfI32Imm = "trap_if.i32" [] (cond: IntCC, a: Slot, imm: i32, code: TrapCode);
        TrapIfI64 = "trap_if.i64" [] (cond: IntCC, a: Slot, b: Slot, code: TrapCode);
        TrapIfI64Imm = "trap_if.i64" [] (cond: IntCC, a: Slot, imm: i64, code: TrapCode);
        /// Ends every function's code; reaching it is an interpreter bug, reported as an error.
        EndOfCode = "end_of_code" [] ();
            }
    };
}
pub(crate) use op_list;
