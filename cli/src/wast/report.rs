//! The outcome of running scripts: totals, failure lines and per-kind tallies.
//! The tallies exist so the conformance test can prove that every
//! `assert_malformed` and `assert_invalid` was actually run, not just that
//! nothing failed.

use std::fmt;

/// Seen/passed counts for one kind of directive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Directives of this kind the runner reached.
    pub seen: usize,
    /// Those of them that passed.
    pub passed: usize,
}

/// Why a directive was skipped; the two kinds are reported separately because
/// one is permanent by design and the other shrinks as the engines arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// `assert_malformed (module quote …)`: tests the wast crate's text parser, not ours.
    ModuleQuote,
    /// Needs instantiation or execution, which the engine does not provide (yet).
    NeedsExecution,
}

/// Totals over every script run so far. `skipped` counts both skip reasons;
/// `skipped_quote` is the part that is skipped by design.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Directives that passed.
    pub passed: usize,
    /// Directives that failed, plus one per script that could not be read or parsed.
    pub failed: usize,
    /// Directives skipped for any reason.
    pub skipped: usize,
    /// Of `skipped`, the `module quote` cases of `assert_malformed`.
    pub skipped_quote: usize,
    /// One line per failure, `file:line: directive: expected …, got …`, in order.
    pub failures: Vec<String>,
    /// `assert_malformed` with a binary or text (not quoted) module.
    pub malformed: Tally,
    /// `assert_invalid`, quoted modules included.
    pub invalid: Tally,
}

impl Report {
    /// Records a pass.
    pub(crate) fn pass(&mut self) {
        self.passed += 1;
    }

    /// Records a failure with its ready-made line.
    pub(crate) fn fail(&mut self, line: String) {
        self.failed += 1;
        self.failures.push(line);
    }

    /// Records a skip.
    pub(crate) fn skip(&mut self, reason: SkipReason) {
        self.skipped += 1;
        if reason == SkipReason::ModuleQuote {
            self.skipped_quote += 1;
        }
    }

    /// Directives skipped because they need execution.
    pub fn skipped_execution(&self) -> usize {
        self.skipped - self.skipped_quote
    }

    /// Adds another report's counts and failures to this one, e.g. to combine
    /// scripts run by different runners.
    pub fn merge(&mut self, other: &Report) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.skipped_quote += other.skipped_quote;
        self.failures.extend(other.failures.iter().cloned());
        for (mine, theirs) in [(&mut self.malformed, other.malformed), (&mut self.invalid, other.invalid)] {
            mine.seen += theirs.seen;
            mine.passed += theirs.passed;
        }
    }

    /// The line explaining the skips, so nobody mistakes a skip for a pass.
    pub fn skipped_line(&self) -> String {
        format!(
            "skipped: {} text-format module quote cases (they test the wast crate's parser), \
             {} directives that need execution",
            self.skipped_quote,
            self.skipped_execution()
        )
    }

    /// The last line of the CLI's output: `N passed, M failed, K skipped`.
    pub fn totals_line(&self) -> String {
        format!("{} passed, {} failed, {} skipped", self.passed, self.failed, self.skipped)
    }
}

/// The whole summary as the CLI prints it after the failure lines.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.skipped_line())?;
        write!(f, "{}", self.totals_line())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lines() {
        let mut r = Report::default();
        r.pass();
        r.fail("a.wast:1: module: expected a valid module, got nothing".to_string());
        r.skip(SkipReason::ModuleQuote);
        r.skip(SkipReason::NeedsExecution);
        r.skip(SkipReason::NeedsExecution);
        assert_eq!(
            r.to_string(),
            "skipped: 1 text-format module quote cases (they test the wast crate's parser), \
             2 directives that need execution\n1 passed, 1 failed, 3 skipped"
        );
        let mut total = Report::default();
        total.merge(&r);
        total.merge(&r);
        assert_eq!(total.totals_line(), "2 passed, 2 failed, 6 skipped");
        assert_eq!(total.failures.len(), 2);
        assert_eq!(total.skipped_execution(), 4);
    }
}
