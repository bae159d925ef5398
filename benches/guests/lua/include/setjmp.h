/* Stand-in for <setjmp.h>, which wasi-libc does not provide (WebAssembly
 * has no setjmp/longjmp without the exception-handling proposal). Lua's
 * ldo.c includes it unconditionally; luawasi.h replaces the only uses
 * (LUAI_THROW / LUAI_TRY / luai_jmpbuf), so nothing from it is needed. */
#ifndef ZEROWASM_LUA_SETJMP_STUB_H
#define ZEROWASM_LUA_SETJMP_STUB_H
#endif
