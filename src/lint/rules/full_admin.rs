//! `GL089 full-admin`.

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
    code: "GL089",
    name: "full-admin",
    severity: Severity::Security,
    applies_to: GRANTING_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
    check: Check::Policy(check_memo),
    docs: r##"
## What it does

Flags a policy that effectively allows every action in every service on every resource: Allow minus Deny, across its statements, decided on all requests by the request-space analysis. Any `Action` patterns that together match every action name count — `"*"`, `"*:*"`, `"*:?*"`, `"?*"`, `"a*:*"` … `"z*:*"` as a list or split across statements, decided by the patterns' languages rather than their text — as does `NotAction` that excludes nothing (or whose exclusions another statement grants back), on `"Resource": "*"`, `"arn:aws:*:*:*:*"`, `"arn:aws:*"` (any `Resource` items that together match every ARN; `"arn:aws:g*"` does not) or `NotResource`; a Deny that removes any action removes the finding.

## Why is this bad?

The policy grants full administrator access. `NotAction` with a non-existent action (such as `prowler:action`) excludes nothing, and AWS accepts the document. A condition on the statement does not make it less than administrator access for the callers that meet it.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
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
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}
```

## Limits

A policy that denies only a few actions (one `Deny` of `s3:DeleteBucket` after `"Action": "*"`) is not full administrator access by this definition; `privilege-escalation-action`, `privilege-escalation-combination`, `pass-role-with-wildcard-resource` and the risk categories still report what it allows (they leave a statement that allows every action to this rule only when this rule reports the policy).

"Every action name" is every `service:action` spelled as the catalog spells them — a service prefix and an action name, each a letter followed by letters, digits and hyphens — whether or not the catalog lists it: a list of `a*:*` … `z*:*` without `y*:*` allows every action the catalog lists today but not a future `y…` service, and is not reported.
"##,
};

/// An ARN no policy names, in a service none names: a statement that matches it matches
/// every resource.
pub(crate) const ANY_ARN: &str =
    "arn:aws:greenlight-unnamed:us-east-1:999988887777:greenlight-unnamed";

/// [`ANY_ARN`] in the partition `item` is written for ([`crate::lint::util::partition_of`]):
/// `arn:aws-us-gov:*:*:*:*` matches every AWS GovCloud (US) resource as `arn:aws:*:*:*:*`
/// matches every commercial one.
pub(crate) fn any_arn_of(item: &str) -> std::borrow::Cow<'static, str> {
    match crate::lint::util::partition_of(item) {
        None => ANY_ARN.into(),
        Some(p) => format!("arn:{p}{}", &ANY_ARN["arn:aws".len()..]).into(),
    }
}

/// Whether `item` matches every resource of the partition it is written for.
pub(crate) fn matches_any_resource(item: &str) -> bool {
    crate::eval::resource_item_matches(item, &any_arn_of(item))
}

/// The statement's `Action` items, together, match every action (`*`, `*:*`, `*:?*`, `?*`,
/// `a*:*` … `z*:*`): decided by language inclusion, not by the items' text.
fn every_action(s: &Statement) -> bool {
    !s.action.negated && {
        let items: Vec<&str> = s.action.items.iter().map(|a| a.lower.as_str()).collect();
        crate::analysis::cover::every_action(&items)
    }
}

/// The one item of the statement that alone matches every action.
fn every_action_item(s: &Statement) -> Option<&ActionPattern> {
    if s.action.negated {
        return None;
    }
    s.action
        .items
        .iter()
        .find(|a| crate::analysis::cover::every_action(&[a.lower.as_str()]))
}

/// This rule's findings on the policy, computed once per document: the other security rules
/// ask whether it reports the policy ([`reported`]). The memo holds the document's text and
/// name, so an entry cannot be mistaken for another document's: the variants of a template
/// document under undecided conditions share text and span (`Action: !If [Admin, "*", ...]`)
/// and differ by name (` [when ...]`).
fn findings(cx: &Ctx<'_>) -> Vec<Finding> {
    type Entry = (
        std::sync::Arc<str>,
        std::sync::Arc<str>,
        Span,
        PolicyType,
        Vec<Finding>,
    );
    thread_local! {
        static MEMO: std::cell::RefCell<Vec<Entry>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let text = &cx.policy.source.text;
    let name = &cx.policy.source.name;
    let hit = MEMO.with(|m| {
        m.borrow()
            .iter()
            .find(|(t, n, sp, ty, _)| {
                std::sync::Arc::ptr_eq(t, text)
                    && std::sync::Arc::ptr_eq(n, name)
                    && *sp == cx.policy.span
                    && *ty == cx.policy_type
            })
            .map(|e| e.4.clone())
    });
    if let Some(v) = hit {
        return v;
    }
    let mut v = Vec::new();
    check(cx, &mut v);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 8 {
            m.remove(0);
        }
        m.push((
            text.clone(),
            name.clone(),
            cx.policy.span,
            cx.policy_type,
            v.clone(),
        ));
    });
    v
}

fn check_memo(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    out.extend(findings(cx));
}

/// Whether the policy is reported as full administrator access: the other security rules
/// leave what a statement allowing every action grants to this rule only then.
pub(crate) fn reported(cx: &Ctx<'_>) -> bool {
    !findings(cx).is_empty()
}

/// Whether another security rule leaves what `item` (an `Action` item, or `NotAction`) grants
/// to this rule: the item alone matches every action (`*`, `*:?*`, ...) and this rule reports
/// the policy. When a Deny keeps the policy from being full administrator access, the other
/// rules report what the item still grants.
pub(crate) fn leaves_to_full_admin(cx: &Ctx<'_>, item: &str) -> bool {
    // one item matching every action begins with a wildcard
    item.starts_with(['*', '?'])
        && crate::analysis::cover::every_action(&[item.to_ascii_lowercase().as_str()])
        && reported(cx)
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let cat = crate::catalog::active();
    // cheap prefilter: an Allow on every resource
    let wide = |s: &Statement| {
        s.effect.value == Effect::Allow
            && s.resource.as_ref().is_some_and(|r| {
                let any = r
                    .items
                    .iter()
                    .any(|i| i.value.contains("${") || matches_any_resource(&i.value));
                if r.negated {
                    !any || r.items.iter().any(|i| i.value.contains("${"))
                } else {
                    // `Resource` items that, together, match every ARN (`*`,
                    // `arn:aws:*:*:*:*`, `arn:aws:*`), decided by language: `arn:aws:g*`
                    // matches the unnamed ARN but not every service's resources
                    any && (r.items.iter().any(|i| i.value.contains("${")) || {
                        let items: Vec<&str> = r.items.iter().map(|i| i.value.as_str()).collect();
                        crate::analysis::cover::every_arn(&items)
                    })
                }
            })
    };
    // cheaper first (exact): without `NotAction`, the Allow statements' `Action` items must
    // match names that only a list covering every action matches
    let allow = |s: &&Statement| s.effect.value == Effect::Allow;
    if !cx
        .policy
        .statements
        .iter()
        .filter(allow)
        .any(|s| s.action.negated)
        && !crate::analysis::cover::may_be_every_action(
            cx.policy
                .statements
                .iter()
                .filter(allow)
                .flat_map(|s| s.action.items.iter().map(|a| a.lower.as_str())),
        )
    {
        return;
    }
    let wide_all: Vec<&Statement> = cx.policy.statements.iter().filter(|s| wide(s)).collect();
    // ... whose actions, together, are every action (or `NotAction`): by language inclusion,
    // so `*:?*`, `?*` and `a*:*` … `z*:*` count as `*` does
    let together = !wide_all.iter().any(|s| s.action.negated)
        && !wide_all.iter().any(|s| every_action(s))
        && {
            let items: Vec<&str> = wide_all
                .iter()
                .flat_map(|s| s.action.items.iter().map(|a| a.lower.as_str()))
                .collect();
            crate::analysis::cover::every_action(&items)
        };
    let candidates: Vec<&Statement> = wide_all
        .into_iter()
        .filter(|s| together || s.action.negated || every_action(s))
        .collect();
    if candidates.is_empty() {
        return;
    }
    // exact cheap "no": an action that no Allow statement covers is not allowed (a `NotAction`
    // statement's exclusions, and one action of the catalog as a sample)
    let allows: Vec<&Statement> = cx
        .policy
        .statements
        .iter()
        .filter(|s| s.effect.value == Effect::Allow)
        .collect();
    let mut probes: Vec<String> = vec!["s3:getobject".into(), "iam:attachuserpolicy".into()];
    for s in &candidates {
        if s.action.negated {
            for a in &s.action.items {
                probes.extend(
                    crate::lint::util::expand_cached(&a.lower)
                        .iter()
                        .take(4)
                        .map(|x| x.lowercase_name().to_string()),
                );
            }
        }
    }
    if probes
        .iter()
        .any(|a| !allows.iter().any(|s| statement_covers(s, a)))
    {
        return;
    }
    // (a `Deny` guardrail every request can escape by a key nothing else reads takes no
    // action away from "some request": [`crate::lint::effective::escapable_deny`])
    let no_deny = cx.policy.statements.iter().all(|s| {
        s.effect.value != Effect::Deny
            || crate::lint::effective::escapable_deny(s, &[cx.policy], &[])
    });
    // exact without the analysis: one unconditional statement that allows every action, and
    // no Deny that takes any away
    if no_deny {
        for s in &candidates {
            if !s.conditions.is_empty()
                || s.resource
                    .as_ref()
                    .is_some_and(|r| r.negated && r.items.iter().any(|i| i.value.contains("${")))
            {
                continue;
            }
            if !s.action.negated {
                if let Some(a) = every_action_item(s) {
                    out.push(cx.finding(&RULE, a.span, format!("`{}` on `{}` allows every action in every service on every resource: full administrator access", a.text, resource_text(s)))
                        .help(HELP));
                    return;
                }
                if every_action(s) {
                    out.push(cx.finding(&RULE, s.action.span, format!("these `Action` patterns together match every action name; on `{}` they allow every action in every service on every resource: full administrator access", resource_text(s)))
                        .help(HELP));
                    return;
                }
            } else if s
                .action
                .items
                .iter()
                .all(|a| cat.expand(&a.lower).is_empty())
            {
                out.push(cx.finding(&RULE, s.action.span, format!("`NotAction` lists no existing action, so this statement allows every action on `{}`: full administrator access", resource_text(s)))
                    .help("`NotAction` with an action that does not exist excludes nothing; name the actions to allow with `Action`"));
                return;
            }
        }
    }
    // otherwise: every action, effectively (Allow minus Deny, across statements)
    let set = crate::analysis::query::identity_set(&[cx.policy]);
    let (set, kind) = match cx.policy_type {
        PolicyType::Resource | PolicyType::Trust => (
            crate::eval::PolicySet {
                identity: vec![crate::analysis::allow_all()],
                resource_policy: Some(cx.policy.clone()),
                resource_policy_is_trust: cx.policy_type == PolicyType::Trust,
                ..Default::default()
            },
            if cx.policy_type == PolicyType::Trust {
                crate::analysis::Kind::Trust
            } else {
                crate::analysis::Kind::Resource
            },
        ),
        _ => (set, crate::analysis::Kind::Identity),
    };
    let Ok(compiled) = set.compile() else { return };
    // (in the partition of the first Allow item that matches every resource of its own)
    let any_arn = cx
        .policy
        .statements
        .iter()
        .filter(|s| s.effect.value == Effect::Allow)
        .filter_map(|s| s.resource.as_ref().filter(|r| !r.negated))
        .flat_map(|r| &r.items)
        .find(|i| !i.value.contains("${") && matches_any_resource(&i.value))
        .map_or_else(|| ANY_ARN.into(), |i| any_arn_of(&i.value));
    let Ok(ans) = crate::analysis::query::every_action(&set, &compiled, kind, &any_arn) else {
        return;
    };
    if ans.all != Some(true) {
        return;
    }
    let mut stmts: Vec<usize> = Vec::new();
    for g in &ans.grants {
        for st in &g.statements {
            if !stmts.contains(&st.index) {
                stmts.push(st.index);
            }
        }
    }
    stmts.sort_unstable();
    let Some(first) = stmts.first().and_then(|&i| cx.policy.statements.get(i)) else {
        return;
    };
    let span = every_action_item(first).map_or(first.action.span, |a| a.span);
    let together = if stmts.len() > 1 {
        format!(" (with {} other statements)", stmts.len() - 1)
    } else {
        String::new()
    };
    let cond = if stmts.iter().any(|&i| {
        cx.policy
            .statements
            .get(i)
            .is_some_and(|s| !s.conditions.is_empty())
    }) {
        ", when its conditions hold"
    } else {
        ""
    };
    let mut f = cx
        .finding(
            &RULE,
            span,
            format!("this statement{together} allows every action in every service on every resource{cond}, after its Deny statements: full administrator access"),
        )
        .help(HELP);
    if let Some(second) = stmts.get(1).and_then(|&i| cx.policy.statements.get(i)) {
        f = f.related(second.action.span, "together with this");
    }
    out.push(f);
}

const HELP: &str = "grant only the actions the workload needs; for break-glass administrators use the AWS managed `AdministratorAccess` policy deliberately and ignore this finding with a reason";

fn resource_text(s: &Statement) -> String {
    match &s.resource {
        Some(r) if r.negated => "every resource outside `NotResource`".into(),
        Some(r) => r
            .items
            .iter()
            .find(|i| matches_any_resource(&i.value))
            .map_or_else(|| "*".into(), |i| i.value.clone()),
        None => "*".into(),
    }
}
