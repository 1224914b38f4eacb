//! `GL018 undecodable-document`.

use crate::lint::{ALL_TYPES, Check, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "GL018",
    name: "undecodable-document",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["JSON_SYNTAX_ERROR"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
    check: Check::Input,
    docs: r##"
## What it does

Flags a policy document inside an authorization-details file that is neither a JSON object nor a URL-encoded (RFC 3986) JSON string that decodes to one.

Detected by reading the input: the input is reported as this finding and the run exits 2.

## Why is this bad?

The raw IAM API returns policy documents URL-encoded; a document that cannot be decoded exactly once cannot be linted, and skipping it would hide the policy.

## Example

```json
"PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%25ZZ"
```

## Use instead

```json
"PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"
```
"##,
};
