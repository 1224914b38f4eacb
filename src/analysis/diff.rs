//! `diff`: the requests one policy allows and another does not, grouped by the statement of
//! the allowing policy that grants them.

use std::collections::BTreeSet;

use super::principals;
use super::space::{Frame, Restrict, Space, Step};
use super::{AnalysisError, Example, Kind, StatementRef, Unknown, allow_all};
use crate::eval::{CompiledPolicySet, PolicySet, Request, evaluate};
use crate::model::{Effect, Policy};

/// Requests allowed by one statement of the allowing side and not by the other side.
#[derive(Clone, Debug)]
pub struct Group {
    /// The granting statement.
    pub statements: Vec<StatementRef>,
    /// Every action (catalog spelling) that gains access through it.
    pub actions: Vec<String>,
    /// One request that proves it, re-decided by the evaluator.
    pub example: Example,
    /// Further witnesses (up to `max_examples` in all, example included).
    pub examples: Vec<Example>,
    /// `statements` is a `Deny` of the other side that no longer keeps these requests out
    /// (what other policies allow: the principal's other identity policies, `FullAWSAccess`).
    pub lifted_deny: bool,
    /// Found for callers under a permissions boundary that allows nothing: what changed is
    /// whether the grant names the role (limited by its boundary) or reaches its sessions
    /// another way ([`diff()`]).
    pub bounded_caller: bool,
}

impl Group {
    /// One line: how many actions, through which statement, with the example.
    pub fn description(&self, verb: &str) -> String {
        let st = self
            .statements
            .first()
            .map(|s| match &s.sid {
                Some(sid) => format!("statement `{sid}`"),
                None => format!("statement {} (line {})", s.index, s.line),
            })
            .unwrap_or_else(|| "a statement".into());
        let n = self.actions.len();
        if self.lifted_deny {
            let does = if verb.starts_with("no longer") {
                "now keeps them out of"
            } else {
                "no longer keeps them out of"
            };
            return format!(
                "{n} action{} {verb}: {st}, a `Deny`, {does} what other policies allow, e.g. `{}` on `{}`",
                if n == 1 { "" } else { "s" },
                self.example.action,
                self.example.resource
            );
        }
        format!(
            "{n} action{} {verb} by {st}, e.g. `{}` on `{}`{}",
            if n == 1 { "" } else { "s" },
            self.example.action,
            self.example.resource,
            if self.bounded_caller {
                ", for a caller whose permissions boundary does not allow it (a grant to a role's ARN is limited by the role's boundary, one that reaches its sessions otherwise is not)"
            } else {
                ""
            }
        )
    }
}

/// The result of [`diff()`].
#[derive(Clone, Debug, Default)]
pub struct Diff {
    pub added: Vec<Group>,
    pub removed: Vec<Group>,
    /// Parts not decided; `may_hide_addition` tells which could hide an addition.
    pub unknown: Vec<(Unknown, bool)>,
}

impl Diff {
    /// Whether an `unknown` could hide an addition (exit 2).
    pub fn uncertain(&self) -> bool {
        self.unknown.iter().any(|(_, a)| *a)
    }
}

/// One analysed side: the policy set, compiled.
struct Side {
    compiled: CompiledPolicySet,
}

/// Builds the set in which a policy of `kind` is analysed on its own.
pub fn frame_set(p: &Policy, kind: Kind) -> PolicySet {
    match kind {
        Kind::Identity => PolicySet {
            identity: vec![p.clone()],
            ..Default::default()
        },
        Kind::Scp => PolicySet {
            identity: vec![allow_all()],
            scps: vec![p.clone()],
            ..Default::default()
        },
        Kind::Boundary => PolicySet {
            identity: vec![allow_all()],
            boundary: Some(p.clone()),
            ..Default::default()
        },
        Kind::Resource | Kind::Trust => PolicySet {
            identity: vec![allow_all()],
            resource_policy: Some(p.clone()),
            resource_policy_is_trust: kind == Kind::Trust,
            ..Default::default()
        },
        Kind::Rcp => rcp_frame(vec![p.clone()]),
    }
}

/// RCPs beside an identity policy and a resource policy that allow everything
/// ([`super::allow_all_resource`]): a request is refused exactly when an RCP `Deny` applies
/// (`RCPFullAWSAccess` is always attached, [`crate::eval::rcp`]).
pub fn rcp_frame(rcps: Vec<Policy>) -> PolicySet {
    PolicySet {
        identity: vec![allow_all()],
        rcps,
        resource_policy: Some(super::allow_all_resource()),
        ..Default::default()
    }
}

pub(crate) fn set_policies(s: &PolicySet) -> Vec<&Policy> {
    let mut v: Vec<&Policy> = s.identity.iter().collect();
    v.extend(s.boundary.iter());
    v.extend(s.scps.iter());
    v.extend(s.rcps.iter());
    v.extend(s.resource_policy.iter());
    v
}

/// The role of each policy of [`set_policies`], in its order (for
/// [`Space::skip_equivalent_classes`]).
fn roles(s: &PolicySet) -> Vec<u8> {
    let mut v = vec![0u8; s.identity.len()];
    v.extend(s.boundary.iter().map(|_| 1));
    v.extend(s.scps.iter().map(|_| 2));
    v.extend(s.rcps.iter().map(|_| 5));
    v.extend(
        s.resource_policy
            .iter()
            .map(|_| if s.resource_policy_is_trust { 4 } else { 3 }),
    );
    v
}

/// The frame of the analysis: principals and resource owner for resource-based policies.
pub(crate) fn frame(kind: Kind, policies: &[&Policy]) -> Frame {
    match kind {
        Kind::Identity | Kind::Scp | Kind::Boundary => Frame::default(),
        // every caller, of the resource's account and of others, on any resource
        Kind::Rcp => {
            let pr = principals::candidates(policies);
            Frame {
                fixed_resource: None,
                resource_account: Some(pr.owner.clone()),
                principals: Some(pr.candidates),
                tied: Vec::new(),
                own_variables: false,
                action_splits: super::rcp_action_splits(),
            }
        }
        Kind::Resource | Kind::Trust => {
            let pr = principals::candidates(policies);
            Frame {
                fixed_resource: (kind == Kind::Trust)
                    .then(|| format!("arn:aws:iam::{}:role/greenlight-analyzed-role", pr.owner)),
                resource_account: Some(pr.owner.clone()),
                principals: Some(pr.candidates),
                tied: Vec::new(),
                own_variables: false,
                action_splits: Vec::new(),
            }
        }
    }
}

/// For `diff` of resource and trust policies, callers of the resource's own account too:
/// their identity policies can allow alone, so a resource policy's `Deny` is what keeps them
/// out, and removing it grants access (IAM policy evaluation logic, same-account requests).
/// Not for `verify`, whose resource-policy assertions are about what the policy grants.
fn with_same_account(mut f: Frame) -> Frame {
    let (Some(owner), Some(callers)) = (f.resource_account.clone(), f.principals.as_mut()) else {
        return f;
    };
    for arn in [
        format!("arn:aws:iam::{owner}:user/greenlight-same-account"),
        format!("arn:aws:sts::{owner}:assumed-role/greenlight-same-account/greenlight-session"),
    ] {
        if let Ok(p) = crate::eval::Principal::parse(&arn) {
            callers.push(p);
        }
    }
    f
}

/// Ties the keys that hold the caller's account to each candidate caller: an IAM caller's
/// own account, absent for a service, a federated or an anonymous caller. So `diff` never
/// makes up a request whose `aws:PrincipalAccount`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount>)
/// or `kms:CallerAccount`
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account>:
/// the account of the caller, in every KMS request) names another account than its caller's,
/// and the two spellings of "callers of account X" compare equal. `kms:CallerAccount` is
/// present only in requests for `kms:` actions ([`super::space`] leaves it out of others).
fn with_caller_accounts(mut f: Frame) -> Frame {
    let Some(callers) = &f.principals else {
        return f;
    };
    let per: Vec<Vec<super::keys::KeyClass>> = callers
        .iter()
        .map(|p| match p {
            crate::eval::Principal::Aws(a) => vec![Some(vec![a.account.clone()])],
            _ => vec![None],
        })
        .collect();
    for key in ["aws:PrincipalAccount", "kms:CallerAccount"] {
        if !f.tied.iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
            f.tied.push((key.to_string(), per.clone()));
        }
    }
    // `aws:PrincipalArn`: the caller's own ARN (a role session's role), absent for a service,
    // a federated or an anonymous caller, as `verify` ties it
    // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn>)
    let arns: Vec<Vec<super::keys::KeyClass>> = callers
        .iter()
        .map(|p| match p {
            crate::eval::Principal::Aws(a) => vec![Some(vec![super::verify::principal_arn(a)])],
            _ => vec![None],
        })
        .collect();
    if !f
        .tied
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("aws:PrincipalArn"))
    {
        f.tied.push(("aws:PrincipalArn".to_string(), arns));
    }
    f
}

/// Requests `new` allows that `old` does not (`added`), and the reverse (`removed`).
///
/// Resource and trust policies are analysed as seen by callers whose identity policies allow
/// everything, of other accounts (what the resource policy grants) and of the resource's own
/// account (what its `Deny` statements keep out, [`with_same_account`]); SCPs and boundaries
/// under an identity policy that allows everything.
pub fn diff(
    old: &Policy,
    new: &Policy,
    kind: Kind,
    max_examples: usize,
) -> Result<Diff, AnalysisError> {
    let mut d = diff_sets(
        &frame_set(old, kind),
        &frame_set(new, kind),
        kind,
        max_examples,
    )?;
    if matches!(kind, Kind::Resource | Kind::Trust) {
        // Callers of an account the policies name as a principal, with identity policies
        // that allow nothing, the resource in that account: a grant to the account only
        // delegates to their identity policies (nothing), a grant to the caller itself (or to
        // `*` with a condition on it) works alone (IAM policy evaluation logic, same-account
        // requests). Moving a grant from the account to its principals is new access.
        let bare = |p: &Policy| {
            let mut set = frame_set(p, kind);
            set.identity.clear();
            set
        };
        let (bo, bn) = (bare(old), bare(new));
        let accounts = principal_accounts(&[old, new]);
        if accounts.len() > MAX_OWNER_PASSES {
            // fail closed rather than leave accounts unasked
            d.unknown.push((
                Unknown {
                    reason: format!(
                        "the policies name {} principal accounts; callers of each are asked \
                         separately and at most {MAX_OWNER_PASSES} are analysed",
                        accounts.len()
                    ),
                    statements: Vec::new(),
                },
                true,
            ));
        }
        for owner in accounts.iter().take(MAX_OWNER_PASSES) {
            let more = diff_sets_owned(&bo, &bn, kind, max_examples, Some(owner))?;
            merge(&mut d, more);
        }
        // The same callers under a permissions boundary that allows nothing: in the resource's
        // account a grant to a role's ARN is limited by the role's boundary, one to a role
        // session's ARN (or a user's) is not (IAM User Guide, "Permissions boundaries for IAM
        // entities", resource-based policies:
        // <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>).
        // Adding a session beside its role, or a role's grant rewritten to reach its
        // sessions another way, is new access for a bounded role (red team 47). Only a
        // policy that names a role or has a `NotPrincipal` can tell the two apart.
        if names_a_role(&[old, new]) {
            let bounded = |s: &PolicySet| {
                let mut s = s.clone();
                s.boundary = Some(super::empty_policy(BOUNDARY_ALLOWING_NOTHING));
                s
            };
            let (co, cn) = (bounded(&bo), bounded(&bn));
            for owner in accounts.iter().take(MAX_OWNER_PASSES) {
                let mut more = diff_sets_owned(&co, &cn, kind, max_examples, Some(owner))?;
                for g in more.added.iter_mut().chain(more.removed.iter_mut()) {
                    g.bounded_caller = true;
                }
                merge(&mut d, more);
            }
        }
    }
    Ok(d)
}

/// The name of the made-up permissions boundary that allows nothing ([`diff()`]).
const BOUNDARY_ALLOWING_NOTHING: &str = "(a permissions boundary that allows nothing)";

/// Whether a policy tells callers with a permissions boundary from others: it names an IAM
/// role as an AWS principal (`arn:PARTITION:iam::ID:role/...`: limited by the role's
/// boundary), or has a `NotPrincipal` (a `Deny` with `NotPrincipal` always applies to a
/// caller with a boundary, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>;
/// red team 48).
fn names_a_role(policies: &[&Policy]) -> bool {
    policies.iter().any(|p| {
        p.statements.iter().any(|s| {
            let Some(block) = &s.principal else {
                return false;
            };
            if block.negated {
                return true;
            }
            let crate::model::PrincipalValue::Map(entries) = &block.value else {
                return false;
            };
            entries
                .iter()
                .filter(|e| e.kind == crate::model::PrincipalKind::Aws)
                .flat_map(|e| &e.values)
                .any(|v| v.value.contains(":role/"))
        })
    })
}

/// The accounts the policies name as principals (`"111122223333"`, `arn:aws:iam::ID:root`,
/// or an IAM principal's account).
fn principal_accounts(policies: &[&Policy]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in policies {
        for s in &p.statements {
            let Some(block) = &s.principal else { continue };
            let crate::model::PrincipalValue::Map(entries) = &block.value else {
                continue;
            };
            for e in entries {
                if e.kind != crate::model::PrincipalKind::Aws {
                    continue;
                }
                for v in &e.values {
                    if let Ok(crate::eval::Principal::Aws(a)) =
                        crate::eval::Principal::parse(&v.value)
                    {
                        if a.account.len() == 12 && !out.contains(&a.account) {
                            out.push(a.account.clone());
                        }
                    }
                }
            }
        }
    }
    out
}

/// How many principal accounts [`diff()`] asks about one by one before it answers `unknown`.
const MAX_OWNER_PASSES: usize = 64;

/// Adds `more`'s groups to `d`: a statement `d` reports already gains `more`'s actions, a
/// new one is added; and `more`'s unknown parts.
pub(crate) fn merge(d: &mut Diff, more: Diff) {
    let same_statements = |x: &Group, g: &Group| {
        x.statements.len() == g.statements.len()
            && x.statements
                .iter()
                .zip(&g.statements)
                .all(|(a, b)| a.index == b.index && *a.file == *b.file)
    };
    for (mine, theirs) in [(&mut d.added, more.added), (&mut d.removed, more.removed)] {
        for g in theirs {
            match mine.iter_mut().find(|x| same_statements(x, &g)) {
                // the same statement grants more actions to these callers: report them all
                Some(x) => {
                    let mut all: BTreeSet<String> = x.actions.drain(..).collect();
                    all.extend(g.actions);
                    x.actions = all.into_iter().collect();
                }
                None => mine.push(g),
            }
        }
    }
    for u in more.unknown {
        if !d.unknown.iter().any(|x| x.0.reason == u.0.reason) {
            d.unknown.push(u);
        }
    }
}

/// Like [`diff()`], between two whole policy sets whose policies play `kind`'s part (for
/// identity sets: several identity policies, their union, and a permissions boundary). Either
/// set may hold no policy of `kind` at all (a new or a removed principal): everything the
/// other allows is then added (or removed).
pub fn diff_sets(
    old: &PolicySet,
    new: &PolicySet,
    kind: Kind,
    max_examples: usize,
) -> Result<Diff, AnalysisError> {
    let mut d = diff_sets_owned(old, new, kind, max_examples, None)?;
    // A `Deny` keeps out what other policies allow: the principal's other identity policies,
    // the `FullAWSAccess` SCP beside an SCP. Narrowing or deleting it is new access even
    // where the policy allows nothing itself ([`beside_allow_all`]; IAM policy evaluation logic:
    // <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>;
    // SCP evaluation: <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>).
    if let Some((o, n)) = beside_allow_all(old, new, kind) {
        let more = diff_sets_owned(&o, &n, kind, max_examples, None)?;
        merge(&mut d, more);
    }
    Ok(d)
}

/// The two sets with a policy that allows everything beside the analysed ones: for identity
/// policies when either side holds only `Deny` statements (a guardrail: on its own it grants
/// nothing, so only against what other policies allow does it mean anything; a policy that
/// allows something is analysed on its own, as Access Analyzer's `CheckNoNewAccess` does, so
/// a `Deny` that only carves its own `Allow` is no change); for SCPs whenever either side
/// has a `Deny` (beside `FullAWSAccess`).
fn beside_allow_all(
    old: &PolicySet,
    new: &PolicySet,
    kind: Kind,
) -> Option<(PolicySet, PolicySet)> {
    let deny_only = |ps: &[Policy]| {
        let effects = || {
            ps.iter()
                .flat_map(|p| &p.statements)
                .map(|s| s.effect.value)
        };
        effects().any(|e| e == Effect::Deny) && effects().all(|e| e == Effect::Deny)
    };
    let either_deny_only = |a: &[Policy], b: &[Policy]| deny_only(a) || deny_only(b);
    let any_deny = |ps: &[Policy]| {
        ps.iter()
            .flat_map(|p| &p.statements)
            .any(|s| s.effect.value == Effect::Deny)
    };
    match kind {
        Kind::Identity if either_deny_only(&old.identity, &new.identity) => {
            let add = |s: &PolicySet| {
                let mut s = s.clone();
                s.identity
                    .push(super::allow_all_named(super::OTHER_IDENTITY_POLICIES));
                s
            };
            Some((add(old), add(new)))
        }
        // AWS Organizations attaches `FullAWSAccess` at every level unless it is detached:
        // beside it an SCP's `Allow` adds nothing and its `Deny` is what counts, so every SCP
        // with a `Deny` is asked both alone (an allow list) and beside it
        Kind::Scp if any_deny(&old.scps) || any_deny(&new.scps) => {
            let add = |s: &PolicySet| {
                let mut s = s.clone();
                s.scps.push(super::allow_all_named(super::FULL_AWS_ACCESS));
                s
            };
            Some((add(old), add(new)))
        }
        _ => None,
    }
}

/// [`diff_sets`] with the resource in account `owner` (else an account no policy names).
fn diff_sets_owned(
    old: &PolicySet,
    new: &PolicySet,
    kind: Kind,
    max_examples: usize,
    owner: Option<&str>,
) -> Result<Diff, AnalysisError> {
    let sets = [old, new];
    let sides: Vec<Side> = sets
        .iter()
        .map(|s| {
            s.compile()
                .map(|compiled| Side { compiled })
                .map_err(|e| AnalysisError::Compile(format!("{}: {}", e.code, e.message)))
        })
        .collect::<Result<_, _>>()?;
    let pols: Vec<Vec<&Policy>> = sets.iter().map(|s| set_policies(s)).collect();
    let all: Vec<&Policy> = pols.iter().flatten().copied().collect();
    let mut f = frame(kind, &all);
    if let Some(o) = owner {
        f.resource_account = Some(o.to_string());
        if kind == Kind::Trust {
            f.fixed_resource = Some(format!("arn:aws:iam::{o}:role/greenlight-analyzed-role"));
        }
    }
    let mut space = Space::new(
        &pols,
        with_caller_accounts(with_same_account(f)),
        &Restrict::default(),
    );
    let shape = |s: &PolicySet| {
        (
            s.scps.is_empty(),
            s.rcps.is_empty(),
            s.boundary.is_some(),
            s.resource_policy.is_some(),
            s.resource_policy_is_trust,
        )
    };
    if shape(old) == shape(new) {
        space.skip_equivalent_classes(&[roles(old), roles(new)]);
    }
    let mut out = Diff::default();
    for u in std::mem::take(&mut space.unknowns) {
        out.unknown.push((u, true));
    }
    let max = max_examples.max(1);
    let (added, unk) = one_way(&mut space, &sides[0], &sides[1], 1, kind, max);
    out.added = added;
    for u in unk {
        out.unknown.push((u, true));
    }
    let (removed, unk) = one_way(&mut space, &sides[1], &sides[0], 0, kind, max);
    out.removed = removed;
    for u in unk {
        if !out.unknown.iter().any(|(x, _)| x.reason == u.reason) {
            out.unknown.push((u, false));
        }
    }
    Ok(out)
}

/// Groups of requests `b` allows and `a` does not.
fn one_way(
    space: &mut Space,
    a: &Side,
    b: &Side,
    b_index: usize,
    kind: Kind,
    max_examples: usize,
) -> (Vec<Group>, Vec<Unknown>) {
    let target = kind.policy_type();
    let b_stmts = space.statements(b_index);
    // (a request the made-up allow-everything policy grants in `b` is new because a `Deny`
    // of `a` no longer keeps it out: the group points at that `Deny`)
    let a_stmts = space.statements(1 - b_index);
    let made_up =
        |name: &str| name == super::OTHER_IDENTITY_POLICIES || name == super::FULL_AWS_ACCESS;
    // (statement position in b_stmts) → group under construction
    let mut groups: Vec<(usize, BTreeSet<String>, Vec<Example>)> = Vec::new();
    let mut errors: Vec<Unknown> = Vec::new();
    // (a class narrowed to the members that take an S3 form keeps its representative: the
    // number of members tells it from the whole class)
    let mut seen_class_stmt: BTreeSet<(String, usize, usize)> = BTreeSet::new();
    let result = space.search::<()>(Some(b_index), |class, req| {
        let db = match evaluate(&b.compiled, req) {
            Ok(d) => d,
            Err(e) => {
                note_error(&mut errors, &e.to_string(), req);
                return Ok(Step::Continue);
            }
        };
        if !db.decision.is_allowed() {
            return Ok(Step::Continue);
        }
        let da = match evaluate(&a.compiled, req) {
            Ok(d) => d,
            Err(e) => {
                note_error(&mut errors, &e.to_string(), req);
                return Ok(Step::Continue);
            }
        };
        if da.decision.is_allowed() {
            return Ok(Step::Continue);
        }
        let granting = db
            .matched
            .iter()
            .find(|m| m.policy_type == target && m.effect == Effect::Allow);
        // an RCP allows nothing: what `b` allows and `a` refuses, `a`'s RCP `Deny` kept out
        let lifted = granting.is_some_and(|m| made_up(&m.policy))
            || (kind == Kind::Rcp && da.decision == crate::eval::Verdict::ExplicitDeny);
        let pos = match granting {
            _ if lifted => da
                .matched
                .iter()
                .filter(|d| d.policy_type == target && d.effect == Effect::Deny)
                .find_map(|d| {
                    a_stmts
                        .iter()
                        .position(|s| s.index == d.index && *s.file == *d.policy)
                })
                .map_or(usize::MAX, |i| b_stmts.len() + i),
            _ => granting
                .and_then(|m| {
                    b_stmts
                        .iter()
                        .position(|s| s.index == m.index && *s.file == *m.policy)
                })
                .unwrap_or(usize::MAX),
        };
        let g = match groups.iter_mut().find(|g| g.0 == pos) {
            Some(g) => g,
            None => {
                groups.push((pos, BTreeSet::new(), Vec::new()));
                let n = groups.len() - 1;
                &mut groups[n]
            }
        };
        let new_class = seen_class_stmt.insert((class.rep.clone(), class.members.len(), pos));
        if new_class {
            g.1.extend(class.members.iter().cloned());
        }
        if g.2.len() < max_examples && (new_class || g.2.is_empty()) {
            g.2.push(Example::of(req));
        }
        Ok(Step::Continue)
    });
    let mut unknowns = result.unwrap_or_default();
    unknowns.extend(errors);
    let mut out: Vec<Group> = Vec::new();
    for (pos, actions, examples) in groups {
        // re-decide every example before it is reported
        let examples: Vec<Example> = examples
            .into_iter()
            .filter(|e| recheck(a, b, e, space))
            .map(|e| {
                // (the same granting statement of `b` decides the swapped request)
                let granting = |x: &Example| {
                    let req = super::verify::request_of(x, space.resource_account());
                    evaluate(&b.compiled, &req).ok().map(|d| {
                        d.matched
                            .iter()
                            .filter(|m| m.effect == Effect::Allow)
                            .map(|m| (m.policy.clone(), m.index))
                            .collect::<Vec<_>>()
                    })
                };
                let first = granting(&e);
                super::realistic::realistic(e, |x| recheck(a, b, x, space) && granting(x) == first)
            })
            .collect();
        let Some(example) = examples.first().cloned() else {
            unknowns.push(Unknown {
                reason: "a witness did not re-evaluate as found".into(),
                statements: Vec::new(),
            });
            continue;
        };
        let statements = if pos < b_stmts.len() {
            b_stmts.get(pos)
        } else {
            pos.checked_sub(b_stmts.len()).and_then(|i| a_stmts.get(i))
        };
        out.push(Group {
            lifted_deny: pos >= b_stmts.len() && pos != usize::MAX,
            bounded_caller: false,
            statements: statements.cloned().into_iter().collect(),
            actions: actions.into_iter().collect(),
            example,
            examples,
        });
    }
    out.sort_by(|x, y| {
        let k = |g: &Group| g.statements.first().map(|s| (s.index, s.line));
        k(x).cmp(&k(y))
    });
    (out, unknowns)
}

fn note_error(errors: &mut Vec<Unknown>, msg: &str, req: &Request) {
    let reason = format!("the evaluator cannot decide `{}`: {msg}", req.action);
    if !errors.iter().any(|u| u.reason == reason) {
        errors.push(Unknown {
            reason,
            statements: Vec::new(),
        });
    }
}

/// Whether `b` allows the example and `a` does not, decided again from the example alone.
fn recheck(a: &Side, b: &Side, e: &Example, space: &Space) -> bool {
    let req = super::verify::request_of(e, space.resource_account());
    let allowed = |s: &Side| {
        evaluate(&s.compiled, &req)
            .map(|d| d.decision.is_allowed())
            .ok()
    };
    allowed(b) == Some(true) && allowed(a) == Some(false)
}
