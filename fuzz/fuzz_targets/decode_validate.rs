//! Arbitrary bytes into zerowasm's decoder and validator: whatever the input,
//! `validate` returns `Ok` or `Err` and never panics, overflows, or runs away.
//!
//! Inputs rarely get past the header by chance, so each input is tried twice:
//! as is, and behind a valid `\0asm` version-1 preamble, which sends most of
//! the fuzzer's effort into section and body decoding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use zerowasm_frontend::CoreFeatures;

const PREAMBLE: [u8; 8] = *b"\0asm\x01\0\0\0";

fn check(bytes: &[u8]) {
    match zerowasm_frontend::validate(bytes, CoreFeatures::default()) {
        Ok(_) => {}
        Err(e) => {
            // Error offsets point into the input (or just past its end, for "unexpected end").
            assert!(
                e.offset() <= bytes.len(),
                "error offset {:#x} is past the end of the input ({:#x} bytes): {e}",
                e.offset(),
                bytes.len()
            );
            // The message formatting must not panic either.
            let _ = e.to_string();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    if !data.starts_with(&PREAMBLE) {
        let mut with_preamble = Vec::with_capacity(PREAMBLE.len() + data.len());
        with_preamble.extend_from_slice(&PREAMBLE);
        with_preamble.extend_from_slice(data);
        check(&with_preamble);
    }
});
