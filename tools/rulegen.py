# Generator used once to scaffold rule files and fixtures from compact specs; the generated
# files are the source of truth afterwards.
import os, json, textwrap
U = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
ORG = "https://docs.aws.amazon.com/organizations/latest/userguide/"
TYPES = {"all": "ALL_TYPES", "identity": "IDENTITY_TYPES", "principal": "PRINCIPAL_TYPES",
         "granting": "GRANTING_TYPES", "org": "ORG_TYPES"}

def P(*stmts, version="2012-10-17", extra=None):
    d = {}
    if version: d["Version"] = version
    if extra: d.update(extra)
    d["Statement"] = list(stmts)
    return json.dumps(d, indent=2) + "\n"

def S(effect="Allow", action="s3:GetObject", resource="arn:aws:s3:::example-bucket/*", **kw):
    d = {"Effect": effect}
    if action is not None:
        if isinstance(action, tuple): d["NotAction"] = list(action) if len(action) > 1 else action[0]
        else: d["Action"] = action
    if resource is not None:
        if isinstance(resource, tuple): d["NotResource"] = list(resource) if len(resource) > 1 else resource[0]
        else: d["Resource"] = resource
    for k, v in kw.items():
        d[k] = v
    return d

def rule(code, name, sev, types, aa, url, body, what, why, bad, good, ptype=None, example=None, use=None, limits=None):
    mod = name.replace("-", "_")
    types_expr = TYPES.get(types, types)
    aa_s = ", ".join('"%s"' % a for a in aa)
    ex = example or bad.strip()
    us = use or good.strip()
    lim = f"\n## Limits\n\n{limits}\n" if limits else ""
    src = f'''//! `{code} {name}`.

#[allow(unused_imports)]
use crate::lint::util::*;
#[allow(unused_imports)]
use crate::lint::{{
    ALL_TYPES, Check, Ctx, Finding, GRANTING_TYPES, IDENTITY_TYPES, ORG_TYPES, PRINCIPAL_TYPES,
    PolicyType, Rule, Severity,
}};
#[allow(unused_imports)]
use crate::model::*;
#[allow(unused_imports)]
use crate::source::Span;

pub static RULE: Rule = Rule {{
    code: "{code}",
    name: "{name}",
    severity: Severity::{sev},
    applies_to: {types_expr},
    access_analyzer: &[{aa_s}],
    aws_docs: "{url}",
    check: Check::Policy(check),
    docs: r##"
## What it does

{what}

## Why is this bad?

{why}

## Example

```json
{ex}
```

## Use instead

```json
{us}
```
{lim}"##,
}};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {{
{textwrap.indent(textwrap.dedent(body).strip(), "    ")}
}}
'''
    open(f"src/lint/rules/{mod}.rs", "w").write(src)
    d = f"tests/fixtures/lint/{code}"
    os.makedirs(d, exist_ok=True)
    open(f"{d}/bad.json", "w").write(bad)
    open(f"{d}/good.json", "w").write(good)
    if ptype:
        open(f"{d}/policy-type", "w").write(ptype + "\n")
