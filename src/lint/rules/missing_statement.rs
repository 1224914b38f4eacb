//! `GL005 missing-statement`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL005",
    name: "missing-statement",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["MISSING_STATEMENT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags a policy object without a `Statement` element.

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

`Statement` is required; a policy without it grants and denies nothing, and IAM rejects it.

## Example

```json
{"Version": "2012-10-17"}
```

## Use instead

```json
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
```
"##,
};
