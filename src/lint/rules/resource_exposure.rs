//! `GL131 resource-exposure`.

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
    code: "GL131",
    name: "resource-exposure",
    severity: Severity::Warning,
    applies_to: IDENTITY_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a policy that effectively allows (Allow minus Deny, conditions decided by the request-space analysis) "Permissions management" actions — writing resource-based policies, ACLs and shares (`s3:PutBucketPolicy`, `s3:PutObjectAcl`, `kms:PutKeyPolicy`, `ram:CreateResourceShare`, `lambda:AddPermission`, ...) — on resources the policy does not name: cloudsplaining's "Resource Exposure" (<https://cloudsplaining.readthedocs.io/en/latest/glossary/resource-exposure/>). The privilege-escalation actions of `privilege-escalation-action` are reported by that rule instead.

## Why is this bad?

Whoever can rewrite a resource policy can open the resource to another account or to the public.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:PutBucketPolicy",
      "Resource": "*"
    }
  ]
}
```

## Use instead

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:PutBucketPolicy",
      "Resource": "arn:aws:s3:::example-bucket"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    use crate::catalog::AccessLevel;
    let pool = crate::lint::categories::of_level(AccessLevel::PermissionsManagement);
    // the actions of the pool left out, by catalog index (decided once per process, a pure
    // function of the active catalog): the escalation actions, left to their own rule, and
    // those the catalog classes as "Permissions management" that only read them
    // (`billing:GetResourcePolicy`, `quicksight:DescribeDashboardPermissions` change nothing:
    // red team 54)
    static LEFT_OUT: std::sync::OnceLock<crate::lint::action_index::Bits> =
        std::sync::OnceLock::new();
    let left_out = LEFT_OUT.get_or_init(|| {
        let reads = |a: u32| {
            let name = crate::lint::action_index::name(a);
            let verb = name.split_once(':').map_or(name, |(_, n)| n);
            ["get", "describe", "list", "view", "search"]
                .iter()
                .any(|v| {
                    verb.get(..v.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(v))
                })
        };
        let names: Vec<&str> = crate::lint::escalation::SINGLE
            .iter()
            .map(|s| s.action)
            .collect();
        let mut out = crate::lint::action_index::Bits::new();
        for a in crate::lint::categories::pool_of(&names) {
            out.insert(a);
        }
        // (every action `covered` can give: the pool's, and those of its level that support
        // resource-level permissions)
        let among =
            crate::lint::action_index::of_resource_level(AccessLevel::PermissionsManagement);
        for a in 0..crate::lint::action_index::count() as u32 {
            if (among.has(a) || pool.binary_search(&a).is_ok()) && reads(a) {
                out.insert(a);
            }
        }
        out
    });
    let actions: Vec<u32> =
        crate::lint::categories::covered(cx, pool, Some(AccessLevel::PermissionsManagement), true)
            .into_iter()
            .filter(|&a| !left_out.has(a))
            .collect();
    crate::lint::categories::report(
        cx,
        &RULE,
        actions,
        "changing resource policies, ACLs or shares",
        "name the resources whose policies the principal manages in `Resource`, or move this to a role used only for that",
        false,
        out,
    );
}
