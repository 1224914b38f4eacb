//! `GL016 invalid-encoding`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL016",
    name: "invalid-encoding",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
    check: Check::Input,
    docs: r##"
## What it does

Flags a file that is not UTF-8 text: invalid UTF-8 bytes, or a UTF-16 file (the default of Windows PowerShell `Out-File`).

Detected by reading the input: the input is reported as this finding and the run exits 2.

## Why is this bad?

Policy documents are UTF-8 JSON; decoding lossily (replacing bytes with U+FFFD) would lint a different document from the one deployed.

## Example

```json
policy.json saved as UTF-16 LE (starts with the bytes FF FE)
```

## Use instead

```json
policy.json saved as UTF-8 without BOM
```
"##,
};
