//! `GL006 invalid-version`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL006",
    name: "invalid-version",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_VERSION"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags a `Version` other than `2012-10-17` or `2008-10-17` (for example `2012-10-18`, or a date typed as a number).

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

IAM rejects the document. `Version` is the policy language version, not a date you choose.

## Example

```json
{"Version": "2023-01-01", "Statement": [...]}
```

## Use instead

```json
{"Version": "2012-10-17", "Statement": [...]}
```
"##,
};
