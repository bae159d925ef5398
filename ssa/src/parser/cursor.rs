//! The tokens of one line of IR text, and a cursor that parses them.

use std::fmt;

use cranelift_entity::EntityRef;

use super::{MAX_ENTITY_NUMBER, PResult, err};
use crate::entities::Value;
use crate::instructions::Signature;
use crate::types::Type;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tok<'a> {
    Word(&'a str),
    Punct(char),
    Arrow,
}

impl fmt::Display for Tok<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Word(w) => write!(f, "`{w}`"),
            Tok::Punct(c) => write!(f, "`{c}`"),
            Tok::Arrow => f.write_str("`->`"),
        }
    }
}

const PUNCT: &[char] = &['=', ',', '(', ')', '[', ']', '+', ':'];

/// A cursor over the tokens of one line; `;` starts a comment.
pub(super) struct Cursor<'a> {
    pub(super) rest: &'a str,
    pub(super) line: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(text: &'a str, line: usize) -> Self {
        Cursor { rest: text, line }
    }

    fn lex(&self) -> Option<(Tok<'a>, &'a str)> {
        let s = self.rest.trim_start();
        let c = s.chars().next()?;
        if c == ';' {
            return None;
        }
        if let Some(r) = s.strip_prefix("->") {
            return Some((Tok::Arrow, r));
        }
        if PUNCT.contains(&c) {
            return Some((Tok::Punct(c), &s[1..]));
        }
        let end =
            s.find(|ch: char| ch.is_whitespace() || PUNCT.contains(&ch) || ch == ';').unwrap_or(s.len());
        Some((Tok::Word(&s[..end]), &s[end..]))
    }

    pub(super) fn peek(&self) -> Option<Tok<'a>> {
        self.lex().map(|(t, _)| t)
    }

    pub(super) fn next(&mut self) -> Option<Tok<'a>> {
        let (t, r) = self.lex()?;
        self.rest = r;
        Some(t)
    }

    pub(super) fn fail<T>(&self, message: impl Into<String>) -> PResult<T> {
        err(self.line, message)
    }

    pub(super) fn found(&self) -> String {
        match self.peek() {
            Some(t) => t.to_string(),
            None => "end of line".into(),
        }
    }

    pub(super) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(Tok::Punct(c)) {
            self.next();
            true
        } else {
            false
        }
    }

    pub(super) fn expect(&mut self, c: char) -> PResult<()> {
        if self.eat(c) { Ok(()) } else { self.fail(format!("expected `{c}`, found {}", self.found())) }
    }

    pub(super) fn word(&mut self, what: &str) -> PResult<&'a str> {
        match self.peek() {
            Some(Tok::Word(w)) => {
                self.next();
                Ok(w)
            }
            _ => self.fail(format!("expected {what}, found {}", self.found())),
        }
    }

    pub(super) fn end(&self) -> PResult<()> {
        match self.peek() {
            None => Ok(()),
            Some(t) => self.fail(format!("unexpected {t} at the end of the line")),
        }
    }

    /// An entity number after `prefix` (`v12`, `block3`).
    pub(super) fn entity(&mut self, prefix: &str, what: &str) -> PResult<u32> {
        let w = self.word(what)?;
        match entity_number(w, prefix) {
            Some(n) if n < MAX_ENTITY_NUMBER => Ok(n),
            Some(_) => self.fail(format!("{w} exceeds the parser's limit of {MAX_ENTITY_NUMBER}")),
            None => self.fail(format!("expected {what}, found `{w}`")),
        }
    }

    pub(super) fn value(&mut self) -> PResult<Value> {
        Ok(Value::new(self.entity("v", "a value")? as usize))
    }

    pub(super) fn values_until(&mut self, close: char) -> PResult<Vec<Value>> {
        let mut out = Vec::new();
        if self.eat(close) {
            return Ok(out);
        }
        loop {
            out.push(self.value()?);
            if self.eat(close) {
                return Ok(out);
            }
            self.expect(',')?;
        }
    }

    pub(super) fn ty(&mut self) -> PResult<Type> {
        let w = self.word("a type")?;
        Type::from_name(w).map_or_else(|| self.fail(format!("unknown type `{w}`")), Ok)
    }

    pub(super) fn number<T: std::str::FromStr>(&mut self, what: &str) -> PResult<T> {
        let w = self.word(what)?;
        w.parse().or_else(|_| self.fail(format!("expected {what}, found `{w}`")))
    }

    pub(super) fn hex(&mut self, what: &str) -> PResult<u128> {
        let w = self.word(what)?;
        match w.strip_prefix("0x").map(|h| u128::from_str_radix(h, 16)) {
            Some(Ok(v)) => Ok(v),
            _ => self.fail(format!("expected {what} in hex (`0x…`), found `{w}`")),
        }
    }

    /// `v3` or `v3+16`.
    pub(super) fn address(&mut self) -> PResult<(Value, u32)> {
        let v = self.value()?;
        let offset = if self.eat('+') { self.number("an offset")? } else { 0 };
        Ok((v, offset))
    }

    pub(super) fn signature(&mut self) -> PResult<Signature> {
        let mut sig = Signature::default();
        self.expect('(')?;
        if !self.eat(')') {
            loop {
                sig.params.push(self.ty()?);
                if self.eat(')') {
                    break;
                }
                self.expect(',')?;
            }
        }
        if self.peek() == Some(Tok::Arrow) {
            self.next();
            loop {
                sig.results.push(self.ty()?);
                if !self.eat(',') {
                    break;
                }
            }
        }
        Ok(sig)
    }
}

pub(super) fn entity_number(word: &str, prefix: &str) -> Option<u32> {
    let digits = word.strip_prefix(prefix)?;
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
    {
        return None;
    }
    digits.parse().ok()
}
