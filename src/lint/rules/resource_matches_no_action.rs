//! `GL111 resource-matches-no-action`.

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
    code: "GL111",
    name: "resource-matches-no-action",
    severity: Severity::Warning,
    applies_to: GRANTING_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a resource ARN that matches none of the resource types of the statement's actions of the same service, including a specific ARN on actions that support only `"Resource": "*"`. Wildcards in actions are expanded first.

## Why is this bad?

The ARN never matches the request's resource, so the statement does not grant (or deny) what it appears to. The reverse is not a finding: `"Resource": "*"` on actions without resource-level permissions is correct.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListAllMyBuckets",
      "Resource": "arn:aws:s3:::example-bucket"
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
      "Action": "s3:ListAllMyBuckets",
      "Resource": "*"
    }
  ]
}
```

## Limits

Decided with the catalog's ARN formats. Statements with an action the catalog does not know are skipped.
"##,
};

/// Whether some resource type of the service has ARNs without an account field.
fn service_has_accountless_arns(service: &str) -> bool {
    // some ARN format of the service has an empty account field
    crate::lint::util::arn_shape(service).is_some_and(|s| !s.all_account)
}

thread_local! {
    /// Whether an ARN matches a resource type, by ARN and type id, memoised per thread:
    /// policies repeat the same ARNs, and matching runs an automaton per ARN format.
    static MATCHES: std::cell::RefCell<crate::catalog::SeededMap<String, Vec<(u32, bool)>>> =
        std::cell::RefCell::new(Default::default());
}

/// Whether the ARN `arn` matches a resource type of one of `actions` (by type id: many
/// actions share types, so each type is matched once), with [`MATCHES`] read once and written
/// once per ARN rather than per type.
fn matches_some_type<'a>(
    arn: &str,
    mut actions: impl Iterator<Item = &'a crate::catalog::Action<'static>>,
) -> bool {
    let mut seen: Vec<(u32, bool)> =
        MATCHES.with(|m| m.borrow().get(arn).cloned().unwrap_or_default());
    let known = seen.len();
    // (prepared only when some type has no answer yet)
    let mut pattern: Option<crate::catalog::arn::Pattern<'_>> = None;
    let any = actions.any(|a| {
        a.resource_types().any(|t| {
            let id = t.index();
            match seen.iter().find(|(k, _)| *k == id) {
                Some(&(_, m)) => m,
                None => {
                    let m = t.matches_pattern(
                        pattern.get_or_insert_with(|| crate::catalog::arn::Pattern::new(arn)),
                    );
                    seen.push((id, m));
                    m
                }
            }
        })
    });
    if seen.len() > known {
        MATCHES.with(|m| {
            let mut map = m.borrow_mut();
            if map.len() > 100_000 {
                map.clear();
            }
            map.insert(arn.to_owned(), seen);
        });
    }
    any
}

/// Actions Elastic Load Balancing (Classic) and Elastic Load Balancing V2 both name, under the
/// one prefix `elasticloadbalancing`. The service reference merges the two services and keeps
/// the Classic resource list for these (`AddTags`: `loadbalancer` only), while V2 authorizes
/// them on its own resource types too (`AddTags` and `RemoveTags` on listeners, rules,
/// target groups and trust stores, as AWS's managed policies
/// `AmazonECSInfrastructureRoleforExpressGatewayServices` and the AWS Load Balancer
/// Controller's policy grant;
/// <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html>).
const ELB_SHARED: &[(&str, &[&str])] = &[
    ("AddTags", ELB_V2_TYPES),
    ("RemoveTags", ELB_V2_TYPES),
    ("CreateLoadBalancer", ELB_V2_LOAD_BALANCERS),
    ("DeleteLoadBalancer", ELB_V2_LOAD_BALANCERS),
    ("ModifyLoadBalancerAttributes", ELB_V2_LOAD_BALANCERS),
];

/// The resource types Elastic Load Balancing V2 tags (the service reference's names).
const ELB_V2_TYPES: &[&str] = &[
    "listener-rule/app",
    "listener-rule/net",
    "listener/app",
    "listener/gwy",
    "listener/net",
    "loadbalancer/app/",
    "loadbalancer/gwy/",
    "loadbalancer/net/",
    "targetgroup",
    "truststore",
];

/// Elastic Load Balancing V2's load balancers.
const ELB_V2_LOAD_BALANCERS: &[&str] = &[
    "loadbalancer/app/",
    "loadbalancer/gwy/",
    "loadbalancer/net/",
];

/// Whether `arn` is of a resource type Elastic Load Balancing V2 authorizes one of `actions`
/// on, for the names both load-balancing services use ([`ELB_SHARED`]): the catalog lists only
/// the Classic resource type for them. (The names V2 authorizes on no resource, such as
/// `DescribeLoadBalancers`, are not among them: a specific ARN on those is still reported.)
fn elb_v2_shared_name<'a>(
    service: &str,
    arn: &str,
    mut actions: impl Iterator<Item = &'a crate::catalog::Action<'static>>,
) -> bool {
    if !service.eq_ignore_ascii_case("elasticloadbalancing") {
        return false;
    }
    let pattern = crate::catalog::arn::Pattern::new(arn);
    actions.any(|a| {
        let Some((_, types)) = ELB_SHARED
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(a.name()))
        else {
            return false;
        };
        a.service()
            .resource_types()
            .filter(|t| types.contains(&t.name()))
            .any(|t| t.matches_pattern(&pattern))
    })
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        let Some(r) = &s.resource else { continue };
        if r.negated {
            continue;
        }
        // Only concrete ARNs of a named service are checked: skip the expansion when there
        // are none (the same filter as below, so nothing changes).
        if !r.items.iter().any(|i| {
            cx.arn_fields(&i.value).is_some_and(|f| {
                !(is_all_resources(&i.value)
                    || f[2].contains(['*', '?'])
                    || i.value.contains("${")
                    || (f[4].is_empty() && !service_has_accountless_arns(f[2])))
            })
        }) {
            continue;
        }
        if s.action.negated {
            continue;
        }
        // Every pattern must resolve, or the statement's intent is unclear.
        let expansions: Vec<std::rc::Rc<[crate::catalog::Action<'static>]>> = s
            .action
            .items
            .iter()
            .map(|p| expand_cached(&p.lower))
            .collect();
        if expansions.is_empty() || expansions.iter().any(|e| e.is_empty()) {
            continue;
        }
        let cat = crate::catalog::active();
        for i in &r.items {
            let Some(f) = cx.arn_fields(&i.value) else {
                continue;
            };
            // An empty account field is how AWS-owned resources are named (`arn:aws:ssm:*::document/AWS-X`).
            // a template's placeholder for a value it cannot know (`!ImportValue`): its shape
            // is not the author's
            if is_all_resources(&i.value)
                || f[2].contains(['*', '?'])
                || crate::lint::util::has(&i.value, "${")
                || crate::lint::util::has(&i.value, ":UNKNOWN-")
                || (f[4].is_empty() && !service_has_accountless_arns(f[2]))
            {
                continue;
            }
            // the statement's actions of the ARN's service, item by item in expansion order:
            // a service's actions are one run of catalog indices, and an expansion is sorted
            // by index
            let Some(service) = cat.service(f[2]) else {
                continue;
            };
            let (start, count) = service.action_range();
            let end = start + count;
            let same_service = || {
                expansions.iter().flat_map(move |e| {
                    let lo = e.partition_point(|a| a.index() < start);
                    let hi = e.partition_point(|a| a.index() < end);
                    e[lo..hi].iter()
                })
            };
            if same_service().next().is_none() {
                continue;
            }
            // Many actions share resource types: match the ARN once per type.
            let any = matches_some_type(&i.value, same_service())
                || elb_v2_shared_name(f[2], &i.value, same_service());
            if !any {
                let same_service: Vec<_> = same_service().collect();
                let only_star = same_service.iter().all(|a| !a.supports_resource_level());
                let names: Vec<String> = same_service
                    .iter()
                    .take(50)
                    .map(|a| a.full_name())
                    .collect();
                let msg = if only_star {
                    format!(
                        "`{}` never matches: {} accept only `\"Resource\": \"*\"`",
                        i.value,
                        name_list(&names, 3)
                    )
                } else {
                    format!(
                        "`{}` matches no resource type of {}",
                        i.value,
                        name_list(&names, 3)
                    )
                };
                out.push(cx.finding(&RULE, i.span, msg)
                    .help(if only_star { "use \"*\" for actions without resource-level permissions (in a separate statement)" } else { "check the ARN against the resource types of the actions (`greenlight catalog`)" }));
            }
        }
    }
}
