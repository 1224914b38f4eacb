//! `GL007 invalid-policy-element`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL007",
    name: "invalid-policy-element",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_POLICY_ELEMENT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags an unknown or misspelled element: `Statment`, `Conditon`, `Resources`, or any key the grammar does not define.

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

IAM rejects the document. A tool that ignores unknown keys would read `Conditon` as no condition at all, so a conditional Allow looks unconditional or a scoped Deny loses its scope.

## Example

```json
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resources": "*"}]}
```

## Use instead

```json
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
```
"##,
};
