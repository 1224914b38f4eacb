//! `GL013 invalid-condition-value`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL013",
    name: "invalid-condition-value",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["DATA_TYPE_MISMATCH"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags a condition value that is `null`, an object or a nested array.

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

Condition values are a string, number or boolean, or a flat array of them; IAM rejects anything else.

## Example

```json
"Condition": {"StringEquals": {"aws:PrincipalTag/team": null}}
```

## Use instead

```json
"Condition": {"StringEquals": {"aws:PrincipalTag/team": ["ops", "dev"]}}
```
"##,
};
