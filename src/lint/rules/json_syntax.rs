//! `GL001 json-syntax`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL001",
    name: "json-syntax",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["JSON_SYNTAX_ERROR"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags a document that is not strict RFC 8259 JSON: comments, trailing commas, unquoted keys, an empty file, nesting deeper than 64 levels or stray characters after the document.

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

IAM rejects the document. Lenient readers (JSONC, JSON5) accept it, so a tool that uses one passes a policy that can never be deployed, and the gate is silently meaningless. greenlight reports the exact line and column and exits 2.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",},
  ]
}
```

## Use instead

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
  ]
}
```
"##,
};
