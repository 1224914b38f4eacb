//! `GL015 invalid-element-type`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL015",
    name: "invalid-element-type",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["DATA_TYPE_MISMATCH"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags an element whose JSON type is wrong: a number in `Action`, an object as `Resource`, a string as `Condition`, and so on.

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

IAM rejects the document. Readers that coerce types (or iterate a string character by character) silently change its meaning.

## Example

```json
{"Effect": "Allow", "Action": ["s3:GetObject", 42], "Resource": "*"}
```

## Use instead

```json
{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}
```
"##,
};
