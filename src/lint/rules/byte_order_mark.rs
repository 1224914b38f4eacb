//! `GL003 byte-order-mark`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL003",
    name: "byte-order-mark",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["JSON_SYNTAX_ERROR"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags a document that starts with a UTF-8 byte-order mark (U+FEFF), as Windows PowerShell 5.1 writes with `-Encoding UTF8`.

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

IAM accepts only tab, LF, CR and U+0020 to U+00FF in policy documents, and RFC 8259 says senders must not add a BOM. Generic JSON readers report an unhelpful "expected value at line 1 column 1".

## Example

```json
\uFEFF{"Version": "2012-10-17", "Statement": []}   (the file starts with the bytes EF BB BF)
```

## Use instead

```json
{"Version": "2012-10-17", "Statement": [...]}   (saved as UTF-8 without BOM)
```
"##,
};
