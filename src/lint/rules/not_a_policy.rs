//! `GL004 not-a-policy`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL004",
    name: "not-a-policy",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["JSON_SYNTAX_ERROR"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
    check: Check::Parse,
    docs: r##"
## What it does

Flags a JSON document that is not an object: `null`, an array, a string or a number (for example a policy JSON-encoded as a string, copied from Terraform state).

Detected by the strict parser: the document is reported as this finding, with its location, and the run exits 2.

## Why is this bad?

The policy grammar requires an object. Counting such a document as "0 statements, clean" would let anything through a gate.

## Example

```json
"{\"Version\": \"2012-10-17\", \"Statement\": []}"
```

## Use instead

```json
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
```
"##,
};
