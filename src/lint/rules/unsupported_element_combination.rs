//! `GL011 unsupported-element-combination`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL011",
    name: "unsupported-element-combination",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["UNSUPPORTED_ELEMENT_COMBINATION"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags a statement that has both `Action` and `NotAction`, both `Resource` and `NotResource`, or both `Principal` and `NotPrincipal`.

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

The two elements are mutually exclusive; IAM rejects the document.

## Example

```json
{"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:DeleteBucket", "Resource": "*"}
```

## Use instead

```json
{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::example-bucket"}
```
"##,
};
