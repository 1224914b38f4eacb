//! `GL014 invalid-principal`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL014",
    name: "invalid-principal",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_PRINCIPAL_FORMAT", "INVALID_PRINCIPAL_KEY"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags a `Principal` or `NotPrincipal` that is a bare string other than `*`, or a map with a key other than `AWS`, `Service`, `Federated` or `CanonicalUser` (case-sensitive).

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

IAM rejects the document; only `"*"` may be written as a bare string, and principal types are case-sensitive.

## Example

```json
"Principal": "arn:aws:iam::111122223333:root"
```

## Use instead

```json
"Principal": {"AWS": "arn:aws:iam::111122223333:root"}
```
"##,
};
