//! `GL017 unreadable-input`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL017",
    name: "unreadable-input",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
    check: Check::Input,
    docs: r##"
## What it does

Flags an input that cannot be read: a missing path, a glob that matches no file, a permission error, or stdin that fails.

Detected by reading the input: the input is reported as this finding and the run exits 2.

## Why is this bad?

A gate that skips an input it cannot read reports "clean" for something it never looked at. greenlight counts the input, reports it, and exits 2.

## Example

```json
greenlight lint policies/does-not-exist.json
```

## Use instead

```json
greenlight lint policies/
```
"##,
};
