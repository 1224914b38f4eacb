//! `GL010 missing-action`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL010",
    name: "missing-action",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["MISSING_ACTION"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags a statement with neither `Action` nor `NotAction`.

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

Every statement must name its actions; IAM rejects the document.

## Example

```json
{"Effect": "Allow", "Resource": "arn:aws:s3:::example-bucket/*"}
```

## Use instead

```json
{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}
```
"##,
};
