//! `GL009 missing-effect`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL009",
    name: "missing-effect",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["MISSING_EFFECT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags a statement without an `Effect`.

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

`Effect` is required and never defaults to Allow; IAM rejects the document.

## Example

```json
{"Action": "s3:GetObject", "Resource": "*"}
```

## Use instead

```json
{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
```
"##,
};
