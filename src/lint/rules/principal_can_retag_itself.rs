//! `GL135 principal-can-retag-itself`.

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
    code: "GL135",
    name: "principal-can-retag-itself",
    severity: Severity::Security,
    applies_to: &[PolicyType::Identity],
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an identity policy that decides access on a tag of the caller (`aws:PrincipalTag/K` in a condition, or `${aws:PrincipalTag/K}` in a resource or condition value) and also allows `iam:TagUser` or `iam:TagRole`, with tag key `K` and a value the policy does not name, on a user or role the policy does not name (its own, for all the policy can tell) or on the caller's own user named through `${aws:username}` (`user/${aws:username}`). Decided on what the policy effectively allows (Allow minus Deny, conditions on `aws:TagKeys` and `aws:RequestTag/K` decided by the request-space analysis): the IAM guide's "manage a specific tag" example (`ForAllValues:StringEquals` `aws:TagKeys` on another key), a pattern of tag keys that does not match `K`, or a `aws:RequestTag/K` pinned to `${aws:PrincipalTag/K}` is not flagged.

## Why is this bad?

Attribute-based access control trusts the principal's tags ("Controlling access for IAM principals", <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html#access_iam-tags_control-principals>; tags are set with `iam:TagUser`/`iam:TagRole`, "Tag IAM users", <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags_users.html>). A principal that may set the tag on itself chooses the value the condition compares, and with it every resource the condition guards: the ABAC tutorial keeps tag management away from the principals it controls (<https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_attribute-based-access-control.html>).

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "secretsmanager:GetSecretValue",
      "Resource": "*",
      "Condition": {
        "StringEquals": {"aws:ResourceTag/project": "${aws:PrincipalTag/project}"}
      }
    },
    {
      "Effect": "Allow",
      "Action": ["iam:TagUser", "iam:TagRole"],
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
      "Action": "secretsmanager:GetSecretValue",
      "Resource": "*",
      "Condition": {
        "StringEquals": {"aws:ResourceTag/project": "${aws:PrincipalTag/project}"}
      }
    },
    {
      "Effect": "Allow",
      "Action": ["iam:TagUser", "iam:TagRole"],
      "Resource": "*",
      "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": "CostCenter"}}
    }
  ]
}
```
"##,
};

/// The actions that set a user's or a role's tags.
const TAGGING: [&str; 2] = ["iam:taguser", "iam:tagrole"];

/// The principal tag keys the policy reads (as first written), each with the place of its
/// first use.
fn principal_tags(policy: &Policy) -> Keys {
    const PREFIX: &str = "aws:principaltag/";
    let mut out: Keys = Vec::new();
    let mut add = |key: &str, span: Span| {
        let Some(k) = key
            .get(..PREFIX.len())
            .filter(|p| p.eq_ignore_ascii_case(PREFIX))
            .map(|_| &key[PREFIX.len()..])
        else {
            return;
        };
        // (IAM tag keys are unique without regard to letter case)
        if !k.is_empty() && !out.iter().any(|(x, _)| x.eq_ignore_ascii_case(k)) {
            out.push((k.to_string(), span));
        }
    };
    for s in &policy.statements {
        for c in &s.conditions {
            add(&c.key, c.key_span);
            for v in &c.values {
                for x in variables(&v.text) {
                    add(x.key(), v.span);
                }
            }
        }
        for r in s.resource.iter().flat_map(|r| &r.items) {
            for x in variables(&r.value) {
                add(x.key(), r.span);
            }
        }
    }
    out
}

/// The ARNs of the caller's own IAM user (named `greenlight-caller`, what the analysis gives
/// `${aws:username}`) in each account and partition the policy's IAM ARNs write, and in an
/// account it does not write.
fn own_users(cx: &Ctx<'_>) -> Vec<String> {
    use crate::lint::effective::{CALLER, UNNAMED_ACCOUNT};
    let mut places: Vec<(String, String)> = vec![("aws".into(), UNNAMED_ACCOUNT.into())];
    for s in &cx.policy.statements {
        for r in s.resource.iter().flat_map(|r| &r.items) {
            let Some(f) = cx.arn_fields(&r.value) else {
                continue;
            };
            let literal = |x: &str| !x.is_empty() && !x.contains(['*', '?', '$']);
            if f[2] == "iam" && literal(f[1]) && literal(f[4]) {
                let p = (f[1].to_string(), f[4].to_string());
                if !places.contains(&p) {
                    places.push(p);
                }
            }
        }
    }
    places
        .into_iter()
        .map(|(partition, account)| format!("arn:{partition}:iam::{account}:user/{CALLER}"))
        .collect()
}

/// Tag keys, each with where the policy reads it.
type Keys = Vec<(String, Span)>;

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    use crate::lint::effective::{self, Ask, Scope};
    // cheap prefilter: an Allow statement covers a tagging action
    let allowed = cx.allow_cover();
    if !TAGGING
        .iter()
        .any(|a| allowed.covers(cx.policy, a, crate::lint::action_index::index_of(a)))
    {
        return;
    }
    let keys = principal_tags(cx.policy);
    if keys.is_empty() {
        return;
    }
    let policies = [cx.policy];
    let own = own_users(cx);
    // per granting statement, the keys it lets the caller set (with where each is read), and
    // whether it grants them on the caller's own user only (named through `${aws:username}`)
    let mut found: Vec<(usize, Span, Keys, bool)> = Vec::new();
    for (k, read_at) in keys {
        let fixed = vec![
            ("aws:TagKeys".to_string(), vec![Some(vec![k.clone()])]),
            (
                format!("aws:RequestTag/{k}"),
                vec![Some(vec![effective::UNNAMED.to_string()])],
            ),
        ];
        let ask = |actions: &[&str], scope: Scope| {
            effective::effective(
                &policies,
                cx.policy_type,
                &Ask {
                    actions: actions.iter().map(|a| a.to_string()).collect(),
                    scope,
                    fixed: fixed.clone(),
                    max_analysed: None,
                    free_variables: false,
                },
            )
        };
        // a user or role the policy does not name, or the caller's own user named through
        // its name (`user/${aws:username}`: the caller is an IAM user of the policy's account)
        let not_named = ask(&TAGGING, Scope::NotNamed);
        let own_only = ask(&["iam:taguser"], Scope::Only(own.clone()));
        for (hits, own_user) in [(not_named, false), (own_only, true)] {
            for g in effective::group(&policies, &hits) {
                match found.iter_mut().find(|(s, _, _, _)| *s == g.statement) {
                    // (a statement's items are groups of their own: the key once)
                    Some((_, _, ks, own_only)) => {
                        *own_only &= own_user;
                        if !ks.iter().any(|(x, _)| *x == k) {
                            ks.push((k.clone(), read_at));
                        }
                    }
                    None => found.push((g.statement, g.span, vec![(k.clone(), read_at)], own_user)),
                }
            }
        }
    }
    for (_, span, keys, own_only) in found {
        let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
        out.push(
            cx.finding(
                &RULE,
                span,
                format!(
                    "the caller may set its own {} tag{} ({}), which `aws:PrincipalTag` in this policy trusts: it chooses what the tag-based condition allows",
                    name_list(&names, 3),
                    if keys.len() == 1 { "" } else { "s" },
                    if own_only {
                        "`iam:TagUser` on its own user, named through `${aws:username}`"
                    } else {
                        "`iam:TagUser`/`iam:TagRole` on a user or role the policy does not name"
                    }
                ),
            )
            .related(keys[0].1, "the tag trusted here")
            .help("limit the tag keys the principal may set (`ForAllValues:StringEquals` on `aws:TagKeys`) to keys no condition trusts, or name the users and roles it tags"),
        );
    }
}
