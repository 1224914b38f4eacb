//! `GL116 invalid-character`.

#[allow(unused_imports)]
use crate::lint::util::*;
#[allow(unused_imports)]
use crate::lint::{
    ALL_TYPES, Check, Ctx, Finding, GRANTING_TYPES, IDENTITY_TYPES, ORG_TYPES, PRINCIPAL_TYPES,
    PolicyType, Rule, Severity,
};
#[allow(unused_imports)]
use crate::model::*;
#[allow(unused_imports)]
use crate::source::Span;

pub static RULE: Rule = Rule {
    code: "GL116",
    name: "invalid-character",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags the first character outside the set IAM accepts in policy documents (tab, LF, CR and U+0020 to U+00FF), such as a Cyrillic `а` in `iam:Pаss*` or U+2028.

## Why is this bad?

IAM rejects the document. A look-alike letter in a Deny is a deny that never deploys, or one that protects nothing.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Deny", "Action": "iam:PаssRole", "Resource": "*"}
  ]
}
```

## Use instead

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "iam:PassRole",
      "Resource": "*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let text = cx.source().slice(cx.policy.span);
    // Fast path: printable ASCII, tab, LF and CR are all allowed. (A template's values may
    // come from elsewhere in it, or from escapes: they are read below whatever its text.)
    if cx.policy.json_size.is_none() && is_plain_ascii_text(text) {
        return;
    }
    let allowed =
        |ch: char| matches!(ch, '\t' | '\n' | '\r') || ('\u{20}'..='\u{ff}').contains(&ch);
    let found = if cx.policy.json_size.is_some() {
        // a template's document (YAML, HCL): its comments and syntax are not part of the JSON
        // IAM receives; the document's own strings are (the grammar's keys are ASCII)
        let p = cx.policy;
        let mut strings: Vec<(&str, Span)> = Vec::new();
        strings.extend(p.id.iter().map(|s| (s.value.as_str(), s.span)));
        for s in &p.statements {
            strings.extend(s.sid.iter().map(|x| (x.value.as_str(), x.span)));
            strings.extend(s.action.items.iter().map(|a| (a.text.as_str(), a.span)));
            if let Some(r) = &s.resource {
                strings.extend(r.items.iter().map(|x| (x.value.as_str(), x.span)));
            }
            if let Some(PrincipalBlock {
                value: PrincipalValue::Map(entries),
                ..
            }) = &s.principal
            {
                for e in entries {
                    strings.extend(e.values.iter().map(|x| (x.value.as_str(), x.span)));
                }
            }
            for c in &s.conditions {
                strings.push((c.key.as_str(), c.key_span));
                strings.extend(c.values.iter().map(|v| (v.text.as_str(), v.span)));
            }
        }
        // a value greenlight does not compute (a placeholder for a Terraform function it does
        // not evaluate) is checked as written at its expression, the text it is made from
        let source = cx.source();
        strings.into_iter().find_map(|(t, span)| {
            let written = if t.contains("UNKNOWN-") {
                source
                    .text
                    .get(span.start as usize..span.end as usize)
                    .unwrap_or("")
            } else {
                ""
            };
            t.chars()
                .chain(written.chars())
                .find(|c| !allowed(*c))
                .map(|c| (c, span))
        })
    } else {
        let base = cx.policy.span.start as usize;
        text.char_indices()
            .find(|(_, ch)| !allowed(*ch))
            .map(|(i, ch)| (ch, Span::new(base + i, base + i + ch.len_utf8())))
    };
    if let Some((ch, span)) = found {
        out.push(cx.finding(&RULE, span, format!("the character U+{:04X} is not allowed in an IAM policy", ch as u32))
            .help("IAM accepts only tab, LF, CR and U+0020 to U+00FF; look for look-alike letters (Cyrillic `а` for Latin `a`), zero-width or line-separator characters"));
    }
}
