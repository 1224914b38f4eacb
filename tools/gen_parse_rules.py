# One-off generator for the parser-detected rule files (kept for reference; the files are
# edited by hand afterwards).
import os
U = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
rules = [
 ("GL001","json-syntax","Parse",["JSON_SYNTAX_ERROR"],U+"reference_policies_grammar.html",
  "Flags a document that is not strict RFC 8259 JSON: comments, trailing commas, unquoted keys, an empty file, nesting deeper than 64 levels or stray characters after the document.",
  "IAM rejects the document. Lenient readers (JSONC, JSON5) accept it, so a tool that uses one passes a policy that can never be deployed, and the gate is silently meaningless. greenlight reports the exact line and column and exits 2.",
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",},\n  ]\n}',
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}\n  ]\n}'),
 ("GL002","duplicate-key","Parse",["JSON_SYNTAX_ERROR"],U+"troubleshoot_policies.html#duplicateelement",
  "Flags an object that has the same key twice, at any level (two `Effect`s, two `Condition` operators, two condition keys).",
  "IAM rejects new documents with duplicate keys, and JSON readers disagree on which value wins (serde_json and Python keep the last one). A duplicated `Effect` can turn a Deny into an Allow, and a duplicated condition key can silently drop a restriction.",
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}',
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}'),
 ("GL003","byte-order-mark","Parse",["JSON_SYNTAX_ERROR"],U+"reference_iam-quotas.html",
  "Flags a document that starts with a UTF-8 byte-order mark (U+FEFF), as Windows PowerShell 5.1 writes with `-Encoding UTF8`.",
  "IAM accepts only tab, LF, CR and U+0020 to U+00FF in policy documents, and RFC 8259 says senders must not add a BOM. Generic JSON readers report an unhelpful \"expected value at line 1 column 1\".",
  '\\uFEFF{"Version": "2012-10-17", "Statement": []}   (the file starts with the bytes EF BB BF)',
  '{"Version": "2012-10-17", "Statement": [...]}   (saved as UTF-8 without BOM)'),
 ("GL004","not-a-policy","Parse",["JSON_SYNTAX_ERROR"],U+"reference_policies_grammar.html",
  "Flags a JSON document that is not an object: `null`, an array, a string or a number (for example a policy JSON-encoded as a string, copied from Terraform state).",
  "The policy grammar requires an object. Counting such a document as \"0 statements, clean\" would let anything through a gate.",
  '"{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": []}"',
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'),
 ("GL005","missing-statement","Parse",["MISSING_STATEMENT"],U+"reference_policies_elements_statement.html",
  "Flags a policy object without a `Statement` element.",
  "`Statement` is required; a policy without it grants and denies nothing, and IAM rejects it.",
  '{"Version": "2012-10-17"}',
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'),
 ("GL006","invalid-version","Parse",["INVALID_VERSION"],U+"reference_policies_elements_version.html",
  "Flags a `Version` other than `2012-10-17` or `2008-10-17` (for example `2012-10-18`, or a date typed as a number).",
  "IAM rejects the document. `Version` is the policy language version, not a date you choose.",
  '{"Version": "2023-01-01", "Statement": [...]}',
  '{"Version": "2012-10-17", "Statement": [...]}'),
 ("GL007","invalid-policy-element","Parse",["INVALID_POLICY_ELEMENT"],U+"reference_policies_grammar.html",
  "Flags an unknown or misspelled element: `Statment`, `Conditon`, `Resources`, or any key the grammar does not define.",
  "IAM rejects the document. A tool that ignores unknown keys would read `Conditon` as no condition at all, so a conditional Allow looks unconditional or a scoped Deny loses its scope.",
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resources": "*"}]}',
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'),
 ("GL008","invalid-effect","Parse",["INVALID_EFFECT"],U+"reference_policies_elements_effect.html",
  "Flags an `Effect` other than exactly `Allow` or `Deny` (the value is case-sensitive: `allow` and `DENY` are invalid).",
  "IAM rejects the document. Tools that capitalise or default the effect silently change what the policy means.",
  '{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}',
  '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'),
 ("GL009","missing-effect","Parse",["MISSING_EFFECT"],U+"reference_policies_elements_effect.html",
  "Flags a statement without an `Effect`.",
  "`Effect` is required and never defaults to Allow; IAM rejects the document.",
  '{"Action": "s3:GetObject", "Resource": "*"}',
  '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'),
 ("GL010","missing-action","Parse",["MISSING_ACTION"],U+"reference_policies_elements_action.html",
  "Flags a statement with neither `Action` nor `NotAction`.",
  "Every statement must name its actions; IAM rejects the document.",
  '{"Effect": "Allow", "Resource": "arn:aws:s3:::example-bucket/*"}',
  '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}'),
 ("GL011","unsupported-element-combination","Parse",["UNSUPPORTED_ELEMENT_COMBINATION"],U+"reference_policies_grammar.html",
  "Flags a statement that has both `Action` and `NotAction`, both `Resource` and `NotResource`, or both `Principal` and `NotPrincipal`.",
  "The two elements are mutually exclusive; IAM rejects the document.",
  '{"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:DeleteBucket", "Resource": "*"}',
  '{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::example-bucket"}'),
 ("GL012","invalid-condition-operator","Parse",["INVALID_CONDITION_OPERATOR"],U+"reference_policies_elements_condition_operators.html",
  "Flags a condition operator that does not exist, including wrong case (`stringEquals`), misspellings (`StringEqualsIgnoresCase`, `StringEqualsIfExist`) and unknown set qualifiers.",
  "IAM rejects the document (\"Invalid Condition type\"). An evaluator that skips an operator it does not know makes a Deny vanish, so a gate must fail closed.",
  '"Condition": {"stringEquals": {"aws:PrincipalTag/team": "ops"}}',
  '"Condition": {"StringEquals": {"aws:PrincipalTag/team": "ops"}}'),
 ("GL013","invalid-condition-value","Parse",["DATA_TYPE_MISMATCH"],U+"reference_policies_grammar.html",
  "Flags a condition value that is `null`, an object or a nested array.",
  "Condition values are a string, number or boolean, or a flat array of them; IAM rejects anything else.",
  '"Condition": {"StringEquals": {"aws:PrincipalTag/team": null}}',
  '"Condition": {"StringEquals": {"aws:PrincipalTag/team": ["ops", "dev"]}}'),
 ("GL014","invalid-principal","Parse",["INVALID_PRINCIPAL_FORMAT", "INVALID_PRINCIPAL_KEY"],U+"reference_policies_elements_principal.html",
  "Flags a `Principal` or `NotPrincipal` that is a bare string other than `*`, or a map with a key other than `AWS`, `Service`, `Federated` or `CanonicalUser` (case-sensitive).",
  "IAM rejects the document; only `\"*\"` may be written as a bare string, and principal types are case-sensitive.",
  '"Principal": "arn:aws:iam::111122223333:root"',
  '"Principal": {"AWS": "arn:aws:iam::111122223333:root"}'),
 ("GL015","invalid-element-type","Parse",["DATA_TYPE_MISMATCH"],U+"reference_policies_grammar.html",
  "Flags an element whose JSON type is wrong: a number in `Action`, an object as `Resource`, a string as `Condition`, and so on.",
  "IAM rejects the document. Readers that coerce types (or iterate a string character by character) silently change its meaning.",
  '{"Effect": "Allow", "Action": ["s3:GetObject", 42], "Resource": "*"}',
  '{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}'),
 ("GL016","invalid-encoding","Input",[],U+"reference_iam-quotas.html",
  "Flags a file that is not UTF-8 text: invalid UTF-8 bytes, or a UTF-16 file (the default of Windows PowerShell `Out-File`).",
  "Policy documents are UTF-8 JSON; decoding lossily (replacing bytes with U+FFFD) would lint a different document from the one deployed.",
  'policy.json saved as UTF-16 LE (starts with the bytes FF FE)',
  'policy.json saved as UTF-8 without BOM'),
 ("GL017","unreadable-input","Input",[],U+"access-analyzer-reference-policy-checks.html",
  "Flags an input that cannot be read: a missing path, a glob that matches no file, a permission error, or stdin that fails.",
  "A gate that skips an input it cannot read reports \"clean\" for something it never looked at. greenlight counts the input, reports it, and exits 2.",
  'greenlight lint policies/does-not-exist.json',
  'greenlight lint policies/'),
 ("GL018","undecodable-document","Input",["JSON_SYNTAX_ERROR"],U+"reference_policies_grammar.html",
  "Flags a policy document inside an authorization-details file that is neither a JSON object nor a URL-encoded (RFC 3986) JSON string that decodes to one.",
  "The raw IAM API returns policy documents URL-encoded; a document that cannot be decoded exactly once cannot be linted, and skipping it would hide the policy.",
  '"PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%25ZZ"',
  '"PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"'),
]
os.makedirs("src/lint/rules", exist_ok=True)
for code,name,check,aa,url,what,why,ex,use in rules:
    mod = name.replace('-','_')
    aa_s = ", ".join('"%s"'%a for a in aa)
    body = f'''//! `{code} {name}`.

use crate::lint::{{ALL_TYPES, Check, Rule, Severity}};

pub static RULE: Rule = Rule {{
    code: "{code}",
    name: "{name}",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &[{aa_s}],
    aws_docs: "{url}",
    check: Check::{check},
    docs: r##"
## What it does

{what}

Detected by {"the strict parser: the document is reported as this finding, with its location, and the run exits 2." if check=="Parse" else "reading the input: the input is reported as this finding and the run exits 2."}

## Why is this bad?

{why}

## Example

```json
{ex}
```

## Use instead

```json
{use}
```
"##,
}};
'''
    open(f"src/lint/rules/{mod}.rs","w").write(body)
print("ok")
