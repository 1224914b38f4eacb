//! cloudsplaining's risk categories (<https://cloudsplaining.readthedocs.io/en/latest/glossary/>)
//! as effective-access questions: which actions of a category a policy allows on a resource it
//! does not name (cloudsplaining: "without resource constraints"), after its Deny statements
//! and conditions. Actions that take only `"Resource": "*"` (`ecr:GetAuthorizationToken`,
//! `sts:GetSessionToken`) cannot be constrained and are left out, as cloudsplaining leaves
//! out wildcard-only actions; a statement that grants `*` is full administrator access,
//! reported by `full-admin` instead.

use std::sync::OnceLock;

use super::action_index;
use super::effective::{self, Ask, Scope};
use super::{Ctx, Finding, Rule};
use crate::catalog::AccessLevel;
use crate::model::Effect;

/// Every catalog action at `level` that supports resource-level permissions, by catalog
/// index ([`crate::catalog::Action::index`], ascending).
pub fn of_level(level: AccessLevel) -> &'static [u32] {
    static LEVELS: OnceLock<Vec<(AccessLevel, Vec<u32>)>> = OnceLock::new();
    let all = LEVELS.get_or_init(|| {
        let cat = crate::catalog::active();
        [AccessLevel::Write, AccessLevel::PermissionsManagement]
            .into_iter()
            .map(|l| {
                let v: Vec<u32> = cat
                    .actions()
                    .filter(|a| a.access_level() == l && a.supports_resource_level())
                    .map(|a| a.index())
                    .collect();
                (l, v)
            })
            .collect()
    });
    all.iter()
        .find(|(l, _)| *l == level)
        .map_or(&[], |(_, v)| v.as_slice())
}

/// The catalog indices of a list of action names (a rule's own list), in its order; names
/// the catalog does not know are left out (no question about them has an answer: they have
/// no resource type, so they are never allowed on an unnamed resource).
pub fn pool_of(list: &[&str]) -> Vec<u32> {
    list.iter()
        .filter_map(|a| crate::catalog::active().action(a).map(|a| a.index()))
        .collect()
}

/// The actions of `pool` (catalog indices) some Allow statement of the policy covers, found
/// through the statements' patterns (cheap) rather than by testing every action of the pool.
pub fn covered(
    cx: &Ctx<'_>,
    pool: &'static [u32],
    level: Option<AccessLevel>,
    with_not_action: bool,
) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    // only an Allow whose resource has a wildcard (or `NotResource`, or a policy variable)
    // can name a resource the policy does not name (per statement, for the four rules)
    let open = cx.memo.open.get_or_init(|| {
        cx.policy
            .statements
            .iter()
            .map(|s| {
                s.effect.value == Effect::Allow
                    && s.resource.as_ref().is_some_and(|r| {
                        r.negated
                            || r.items
                                .iter()
                                .any(|i| i.value.bytes().any(|c| matches!(c, b'*' | b'?' | b'$')))
                    })
            })
            .collect()
    });
    if !open.contains(&true) {
        return out;
    }
    action_index::with_scratch(|seen| {
        let mut table: Option<std::rc::Rc<action_index::PolicyActions>> = None;
        for (k, s) in cx.policy.statements.iter().enumerate() {
            if !open[k] || (s.action.negated && !with_not_action) {
                continue;
            }
            let Some(level) = level.filter(|_| !s.action.negated) else {
                let t = table.get_or_insert_with(|| cx.actions());
                let st = &t.statements[k];
                for &a in pool {
                    if st.covers(a) && seen.insert(a) {
                        out.push(a);
                    }
                }
                continue;
            };
            // each item's actions at the level that support resource-level permissions, in
            // expansion order (ascending indices)
            let among = action_index::of_resource_level(level);
            let t = table.get_or_insert_with(|| cx.actions());
            let st = &t.statements[k];
            for (j, p) in s.action.items.iter().enumerate() {
                if super::rules::full_admin::leaves_to_full_admin(cx, &p.lower) {
                    continue;
                }
                for &(lo, hi) in st.item_ranges(j) {
                    seen.insert_range_among(lo, hi, among, &mut out);
                }
            }
        }
        // (left empty for the next use)
        for &a in &out {
            seen.remove(a);
        }
    });
    out
}

/// The resource-tag keys the policy's conditions read (`aws:ResourceTag/K`,
/// `ec2:ResourceTag/K`, `s3:ExistingObjectTag/K`), each fixed to absent or a value no policy
/// names: a resource the policy does not name by ARN nor by tag. A condition that limits
/// actions to resources tagged as the policy says (IAM's ABAC examples,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_ec2-start-stop-match-tags.html>,
/// as the categories' help advises) names them; `StringLike "*"` or `Null` `false` does not.
fn unnamed_tags(policy: &crate::model::Policy) -> effective::Fixed {
    // A policy that lets its caller tag resources (an action at the `Tagging` access level:
    // `ec2:CreateTags`, `s3:PutObjectTagging`, `*:TagResource`) lets it give a resource the
    // tag its conditions ask for: such a tag names nothing (red-team pass 19). Only a tagging
    // action of the resource's own service writes its tags (`sagemaker:AddTags` does not tag
    // an S3 object: red-team pass 21), so a key counts as written when the policy allows a
    // `Tagging` action of the key's service (`s3:ExistingObjectTag`, `ec2:ResourceTag`) or,
    // for `aws:ResourceTag`, of a service of the statement's actions.
    // (the services with an allowed tagging action, computed when a condition reads a tag;
    // `None`: every service, an Allow with `NotAction`)
    let mut taggers: Option<Option<std::collections::BTreeSet<String>>> = None;
    let mut taggers_of = || -> Option<std::collections::BTreeSet<String>> {
        taggers
            .get_or_insert_with(|| {
                let mut out = std::collections::BTreeSet::new();
                for s in &policy.statements {
                    if s.effect.value != crate::model::Effect::Allow {
                        continue;
                    }
                    if s.action.negated {
                        return None;
                    }
                    for p in &s.action.items {
                        for a in crate::lint::util::expand_cached(&p.lower).iter() {
                            if a.access_level() == crate::catalog::AccessLevel::Tagging {
                                out.insert(a.service().name().to_ascii_lowercase());
                            }
                        }
                    }
                }
                Some(out)
            })
            .clone()
    };
    let mut out: Vec<(String, Vec<Option<Vec<String>>>)> = Vec::new();
    let mut written: Vec<String> = Vec::new();
    for s in &policy.statements {
        for c in &s.conditions {
            let k = c.key_lower.as_str();
            let Some((prefix, rest)) = k.split_once(':') else {
                continue;
            };
            if !(rest.starts_with("resourcetag/") || rest.starts_with("existingobjecttag/")) {
                continue;
            }
            // a policy variable with a default (`${aws:PrincipalTag/P, '*'}`) is that default
            // for a caller without the key: left to the statement's wording; nor through a
            // value the request carries (`${aws:UserAgent}`): the caller chooses it (red-team
            // pass 20)
            let defaulted = c.values.iter().any(|v| {
                crate::lint::util::variables(&v.text)
                    .iter()
                    .any(|x| x.inner.contains(',') || !effective::identity_variable(x.key()))
            });
            if defaulted {
                continue;
            }
            let taggable = match taggers_of() {
                None => true,
                Some(t) if t.is_empty() => false,
                Some(t) if prefix != "aws" => t.contains(prefix),
                Some(t) => {
                    s.action.negated
                        || s.action.items.iter().any(|p| {
                            let service = p.lower.split_once(':').map_or("", |(x, _)| x);
                            if service.contains(['*', '?']) {
                                // (a service pattern: each service it matches)
                                t.iter().any(|x| crate::lint::util::glob_match(service, x))
                            } else {
                                t.contains(service)
                            }
                        })
                }
            };
            if taggable {
                if !written.iter().any(|x| x.eq_ignore_ascii_case(k)) {
                    written.push(k.to_string());
                }
                continue;
            }
            if !out.iter().any(|(x, _)| x.eq_ignore_ascii_case(k)) {
                out.push((
                    c.key.clone(),
                    vec![None, Some(vec![effective::UNNAMED.to_string()])],
                ));
            }
        }
    }
    // (a key some statement's caller can write names nothing anywhere)
    out.retain(|(k, _)| !written.iter().any(|x| x.eq_ignore_ascii_case(k)));
    out
}

/// One finding per statement item that grants actions of the category (catalog indices) on
/// unnamed resources.
pub fn report(
    cx: &Ctx<'_>,
    rule: &'static Rule,
    actions: Vec<u32>,
    what: &str,
    help: &'static str,
    per_policy: bool,
    out: &mut Vec<Finding>,
) {
    // (an action without an unnamed ARN, one that takes only `"Resource": "*"`, is passed
    // over by `effective` itself: with no ARN to ask about, it grants nothing here)
    if actions.is_empty() {
        return;
    }
    let policies = [cx.policy];
    let fixed = cx.memo.unnamed_tags.get_or_init(|| unnamed_tags(cx.policy));
    // the groups of statement items that grant them: without the analysis where the policy
    // needs none, else through the effective-access question
    let hits: Vec<effective::Hit>;
    let asked: Vec<effective::Group<'_>>;
    let found: Vec<effective::ItemGroup<'_>> = match effective::cheap_unnamed_groups_with(
        cx.policy,
        cx.policy_type,
        &actions,
        fixed,
        &cx.memo.unnamed,
    ) {
        Some(found) => found,
        None => {
            hits = effective::effective(
                &policies,
                cx.policy_type,
                &Ask {
                    actions: actions
                        .iter()
                        .map(|&a| action_index::name(a).to_string())
                        .collect(),
                    scope: Scope::NotNamed,
                    fixed: fixed.clone(),
                    max_analysed: Some(effective::CATEGORY_MAX_ANALYSED),
                    free_variables: false,
                },
            );
            asked = effective::group(&policies, &hits);
            asked
                .iter()
                .map(|g| effective::ItemGroup {
                    statement: g.statement,
                    span: g.span,
                    via: &g.via,
                    // (the hits name the catalog actions asked; an action has a hit per
                    // class of the fixed keys and per resource asked: named once)
                    actions: {
                        let mut v: Vec<u32> = Vec::with_capacity(g.hits.len());
                        for a in g
                            .hits
                            .iter()
                            .filter_map(|h| action_index::index_of(&h.action))
                        {
                            if !v.contains(&a) {
                                v.push(a);
                            }
                        }
                        v
                    },
                })
                .collect()
        }
    };
    // one finding per statement (at its first granting item), not per item: a statement that
    // lists fifty write actions is one finding
    let mut groups: Vec<effective::ItemGroup<'_>> = Vec::new();
    // per group, the actions it holds; built on the first merge into the group (a group's
    // own actions are distinct)
    let mut held: Vec<Option<action_index::Bits>> = Vec::new();
    for g in found {
        if super::rules::full_admin::leaves_to_full_admin(cx, g.via) {
            continue;
        }
        match groups
            .iter()
            .position(|x| per_policy || x.statement == g.statement)
        {
            Some(x) => {
                let set = held[x].get_or_insert_with(|| {
                    let mut b = action_index::Bits::new();
                    for &a in &groups[x].actions {
                        b.insert(a);
                    }
                    b
                });
                for a in g.actions {
                    if set.insert(a) {
                        groups[x].actions.push(a);
                    }
                }
            }
            None => {
                held.push(None);
                groups.push(g);
            }
        }
    }
    for g in groups {
        let n = g.actions.len();
        // (written piece by piece: thousands of findings)
        let mut message = String::with_capacity(200);
        if g.via == "NotAction" {
            message.push_str("`NotAction`");
        } else if n > 1 && per_policy {
            message.push_str("this policy");
        } else if n > 1 {
            message.push_str("this statement");
        } else {
            message.push('`');
            message.push_str(g.via);
            message.push('`');
        }
        message.push_str(" allows ");
        message.push_str(what);
        message.push_str(" on resources the policy does not name (");
        crate::lint::util::push_count(&mut message, n);
        message.push_str(if n == 1 { " action: " } else { " actions: " });
        for (k, &a) in g.actions.iter().take(4).enumerate() {
            if k > 0 {
                message.push_str(", ");
            }
            message.push('`');
            message.push_str(&effective::display_shared(action_index::name(a)));
            message.push('`');
        }
        if n > 4 {
            message.push_str(" and ");
            crate::lint::util::push_count(&mut message, n - 4);
            message.push_str(" more");
        }
        message.push(')');
        out.push(cx.finding(rule, g.span, message).help(help));
    }
}
