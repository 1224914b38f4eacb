//! `GL002 duplicate-key`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL002",
    name: "duplicate-key",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["JSON_SYNTAX_ERROR"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_policies.html#duplicateelement",
    check: Check::Parse,
    docs: r##"
## What it does

Flags an object that has the same key twice, at any level (two `Effect`s, two `Condition` operators, two condition keys).

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

IAM rejects new documents with duplicate keys, and JSON readers disagree on which value wins (serde_json and Python keep the last one). A duplicated `Effect` can turn a Deny into an Allow, and a duplicated condition key can silently drop a restriction.

## Example

```json
{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
```

## Use instead

```json
{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}
```
"##,
};
