//! `GL008 invalid-effect`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL008",
    name: "invalid-effect",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_EFFECT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags an `Effect` other than exactly `Allow` or `Deny` (the value is case-sensitive: `allow` and `DENY` are invalid).

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

IAM rejects the document. Tools that capitalise or default the effect silently change what the policy means.

## Example

```json
{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}
```

## Use instead

```json
{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
```
"##,
};
