//! `GL012 invalid-condition-operator`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL012",
    name: "invalid-condition-operator",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_CONDITION_OPERATOR"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags a condition operator that does not exist, including wrong case (`stringEquals`), misspellings (`StringEqualsIgnoresCase`, `StringEqualsIfExist`) and unknown set qualifiers.

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

IAM rejects the document ("Invalid Condition type"). An evaluator that skips an operator it does not know makes a Deny vanish, so a gate must fail closed.

## Example

```json
"Condition": {"stringEquals": {"aws:PrincipalTag/team": "ops"}}
```

## Use instead

```json
"Condition": {"StringEquals": {"aws:PrincipalTag/team": "ops"}}
```
"##,
};
