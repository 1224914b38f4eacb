//! Every user and role of an account against one or more profiles.
//!
//! A profile for users (`"principal": "user"`: a person or pipeline that deploys) applies to
//! users and roles; a profile for service roles (`"principal": "role"`, with a trust
//! requirement) applies to roles only. Principals are resolved and checked in parallel on
//! every core; each one's policies are dropped as soon as it is checked, and the results come
//! back in the account's order.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::{
    Account, PrincipalError, PrincipalId, PrincipalType, ResolvedPrincipal, Resolver, par_map,
};
use crate::check::{self, CheckError, Decision, PrincipalPolicies, ProfileReport};
use crate::eval::{CompiledPolicy, CompiledPolicySet, PolicyType};
use crate::model::Policy;
use crate::profiles::{PrincipalKind, Profile};

/// The result of one principal against one profile.
#[derive(Clone, Debug)]
pub struct ScanEntry {
    pub principal: PrincipalId,
    pub profile: String,
    pub result: Result<Gaps, String>,
}

/// What a principal lacks for a profile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gaps {
    /// Requirements (and the trust requirement) that are not allowed.
    pub gaps: usize,
    /// Actions not allowed (implicit deny), in profile order, without repeats.
    pub missing: Vec<Arc<str>>,
    /// Actions explicitly denied, in profile order, without repeats.
    pub denied: Vec<Arc<str>>,
    /// The role's trust policy is open to callers outside named accounts (one of `gaps`).
    pub trust_open: bool,
    /// What blocks each action of `missing` and `denied` (its first requirement), in profile
    /// order.
    pub blocked: Vec<BlockedGap>,
    /// Allowed requirements whose decision skipped a condition on a key AWS always sends
    /// (`check`'s warning, [`check::unproven_allow`]): the real request may be denied.
    pub unproven: Vec<String>,
    /// For a role with no gap: whether principals other than the profile's service can assume
    /// it (`check`'s `othersCanAssume`, decided by the analysis), and one of them (`None`:
    /// not asked, a user profile, or a role with gaps).
    pub others: Option<Others>,
}

/// `check`'s trust-analysis answer for a role: `can` is `None` when it is not decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Others {
    pub can: Option<bool>,
    /// The service the profile trusts.
    pub service: String,
    /// An example of another principal that can, or why it is not decided.
    pub detail: String,
}

/// What blocks one action a principal lacks: `blockedBy` and `blockedByDetail`, as `check`
/// says them.
///
/// The sentence is shared between entries that say the same (one allocation per distinct
/// sentence); for `identity` it is the same for every principal ("no identity statement allows
/// it": the entry is the principal's, so its policies need no naming), which keeps a scan of a
/// large account small.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockedGap {
    pub action: Arc<str>,
    pub by: check::BlockedBy,
    pub detail: Arc<str>,
}

/// The `identity` sentence of scan entries.
const NO_IDENTITY_STATEMENT: &str = "no identity statement allows it";

impl ScanEntry {
    pub fn is_complete(&self) -> bool {
        matches!(&self.result, Ok(g) if g.gaps == 0)
    }
}

/// A whole scan.
#[derive(Clone, Debug, Default)]
pub struct ScanReport {
    /// One entry per (principal, applicable profile), principals in account order.
    pub entries: Vec<ScanEntry>,
    /// AWS managed policies taken from the shipped corpus because the account data did not list
    /// them: ARN → version.
    pub corpus_policies: BTreeMap<String, String>,
}

/// Whether `profile` applies to a principal of this type.
pub fn applies(profile: &Profile, kind: PrincipalType) -> bool {
    match profile.principal {
        PrincipalKind::User => true,
        PrincipalKind::Role => kind == PrincipalType::Role,
    }
}

/// The account ID in an IAM ARN (`arn:aws:iam::111122223333:user/alice`).
pub fn account_of(arn: &str) -> Option<String> {
    let acct = arn.split(':').nth(4)?;
    (acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit())).then(|| acct.to_string())
}

/// The check library's view of a resolved principal.
pub fn principal_policies(p: &ResolvedPrincipal) -> PrincipalPolicies {
    PrincipalPolicies {
        identity: p.identity.iter().map(|x| (*x.policy).clone()).collect(),
        boundary: p.boundary.as_ref().map(|x| (*x.policy).clone()),
        scps: Vec::new(),
        rcps: Vec::new(),
        trust: p.trust.as_ref().map(|x| (*x.policy).clone()),
        arn: Some(p.id.arn.clone()),
        account: account_of(&p.id.arn),
        tags: p.tags.clone(),
        unique_id: p.unique_id.clone(),
        account_roles: Vec::new(),
    }
}

/// Like [`principal_policies`], for a scan against one profile: identity policies that cannot
/// apply to any of the profile's actions are left out, and the others keep only the action
/// patterns that can ([`Pruner`]). The boundary is kept, except when no identity policy is left
/// and the boundary itself cannot apply (then nothing is allowed and nothing explicitly denied
/// either way).
fn principal_policies_for(p: &ResolvedPrincipal, pruner: &Pruner) -> PrincipalPolicies {
    let identity: Vec<Policy> = p
        .identity
        .iter()
        .filter_map(|x| pruner.get(&x.policy))
        .map(|x| (*x).clone())
        .collect();
    let boundary = p.boundary.as_ref().and_then(|b| {
        if identity.is_empty() && pruner.get(&b.policy).is_none() {
            None
        } else {
            Some((*b.policy).clone())
        }
    });
    PrincipalPolicies {
        identity,
        boundary,
        scps: Vec::new(),
        rcps: Vec::new(),
        trust: p.trust.as_ref().map(|x| (*x.policy).clone()),
        arn: Some(p.id.arn.clone()),
        account: account_of(&p.id.arn),
        tags: p.tags.clone(),
        unique_id: p.unique_id.clone(),
        account_roles: Vec::new(),
    }
}

/// Reduces policies to what can matter for one profile's actions. A statement applies to a
/// request only when its `Action` matches the request's action, so (for a profile whose actions
/// have no wildcard) dropping the `Action` patterns that match none of them, and dropping
/// policies where no statement keeps a pattern, changes no decision on those actions.
/// Statements are never removed, so statement indexes and spans stay those of the document.
///
/// It also compiles each policy shared between principals (managed policies, groups' inline
/// policies) once per scan, as an identity policy and, when one is used so, as a permissions
/// boundary.
pub struct Pruner {
    /// `None`: no pruning (a profile action has a wildcard, or pruning is off).
    actions: Option<Vec<String>>,
    /// Shared policies, by address: pruned once (`None` when irrelevant), compiled on first use.
    cache: HashMap<usize, Shared>,
    /// The profile's parameters resolved once per principal account, and its requests.
    params: Mutex<HashMap<Option<String>, Prepared>>,
}

/// A profile's parameters for one account, and its requests made concrete with them (`None`
/// when every principal takes the full check path).
type Prepared = (
    crate::profiles::ResolvedParams,
    Option<Arc<check::PreparedProfile>>,
);

/// A compiled policy, or `None` when it does not compile (the full check path reports why).
type Compiled = Option<Arc<CompiledPolicy>>;

/// One shared policy of a scan.
struct Shared {
    original: Arc<Policy>,
    pruned: Option<Arc<Policy>>,
    identity: OnceLock<Compiled>,
    boundary: OnceLock<Compiled>,
}

impl Pruner {
    pub fn new(profile: &Profile, enabled: bool, shared: &[Arc<Policy>]) -> Self {
        let actions = profile_actions(profile);
        let actions =
            (enabled && !actions.iter().any(|a| a.contains(['*', '?']))).then_some(actions);
        let mut pruner = Pruner {
            actions,
            cache: HashMap::new(),
            params: Mutex::new(HashMap::new()),
        };
        let cache = par_map(shared, |p| {
            (
                Arc::as_ptr(p) as usize,
                Shared {
                    original: p.clone(),
                    pruned: pruner.prune(p),
                    identity: OnceLock::new(),
                    boundary: OnceLock::new(),
                },
            )
        });
        pruner.cache = cache.into_iter().collect();
        pruner
    }

    /// [`Profile::resolve_params`] for a principal of `account`, computed once per account,
    /// with the profile's requests prepared for those parameters.
    fn params(
        &self,
        profile: &Profile,
        given: &BTreeMap<String, String>,
        account: Option<&str>,
    ) -> Result<Prepared, CheckError> {
        let key = account.map(str::to_string);
        if let Some(p) = self
            .params
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(p.clone());
        }
        let resolved = profile.resolve_params(given, account)?;
        let prepared = check::PreparedProfile::new(profile, &resolved).map(Arc::new);
        let entry = (resolved, prepared);
        self.params
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, entry.clone());
        Ok(entry)
    }

    fn get(&self, policy: &Arc<Policy>) -> Option<Arc<Policy>> {
        if self.actions.is_none() {
            return Some(policy.clone());
        }
        match self.cache.get(&(Arc::as_ptr(policy) as usize)) {
            Some(p) => p.pruned.clone(),
            None => self.prune(policy),
        }
    }

    /// The identity policy as the check evaluates it (pruned, compiled): `None` when it is
    /// left out, `Some(None)` when it does not compile.
    fn identity(&self, policy: &Arc<Policy>) -> Option<Compiled> {
        match self.cache.get(&(Arc::as_ptr(policy) as usize)) {
            Some(s) => {
                let pruned = s.pruned.as_ref()?;
                Some(
                    s.identity
                        .get_or_init(|| compile(pruned, PolicyType::Identity))
                        .clone(),
                )
            }
            None => self
                .prune(policy)
                .map(|p| compile(&p, PolicyType::Identity)),
        }
    }

    /// The permissions boundary, compiled (never pruned).
    fn boundary(&self, policy: &Arc<Policy>) -> Compiled {
        match self.cache.get(&(Arc::as_ptr(policy) as usize)) {
            Some(s) => s
                .boundary
                .get_or_init(|| compile(&s.original, PolicyType::PermissionsBoundary))
                .clone(),
            None => compile(policy, PolicyType::PermissionsBoundary),
        }
    }

    fn prune(&self, policy: &Arc<Policy>) -> Option<Arc<Policy>> {
        let Some(actions) = &self.actions else {
            return Some(policy.clone());
        };
        if !relevant(policy, actions) {
            return None;
        }
        let mut out = (**policy).clone();
        for s in &mut out.statements {
            if s.action.negated {
                continue;
            }
            let keep: Vec<_> = s
                .action
                .items
                .iter()
                .filter(|p| {
                    actions
                        .iter()
                        .any(|a| glob(p.lower.as_bytes(), a.as_bytes()))
                })
                .cloned()
                .collect();
            if keep.is_empty() {
                // Keep one pattern (it matches none of the actions): the statement stays in
                // place and applies to none of the requests.
                s.action.items.truncate(1);
            } else {
                s.action.items = keep;
            }
        }
        Some(Arc::new(out))
    }
}

fn compile(policy: &Policy, t: PolicyType) -> Compiled {
    CompiledPolicy::compile(policy, t).ok().map(Arc::new)
}

/// The fast path of a scan: the principal's policies compiled through the scan's cache, and
/// only the decisions evaluated. `None` when a policy does not compile or the engine cannot
/// decide; the full check then reports the error.
fn decide(
    p: &ResolvedPrincipal,
    pruner: &Pruner,
    prepared: &check::PreparedProfile,
) -> Option<check::Decisions> {
    let mut identity = Vec::with_capacity(p.identity.len());
    for x in &p.identity {
        if let Some(c) = pruner.identity(&x.policy) {
            identity.push(c?);
        }
    }
    // As in `principal_policies_for`: the boundary is left out only when no identity policy is
    // left and the boundary itself cannot apply.
    let boundary = match &p.boundary {
        Some(b) if !(identity.is_empty() && pruner.get(&b.policy).is_none()) => {
            Some(pruner.boundary(&b.policy)?)
        }
        _ => None,
    };
    let trust = match (&p.trust, prepared.trust_action()) {
        // An open trust policy is a gap the decisions cannot carry: take the full check.
        (Some(t), Some(_)) if prepared.trust_open(&t.policy) => return None,
        (Some(t), Some(_)) => Some(compile(&t.policy, PolicyType::RoleTrust)?),
        _ => None,
    };
    let set = CompiledPolicySet {
        identity,
        boundary,
        ..CompiledPolicySet::default()
    };
    let names: Vec<&str> = p.identity.iter().map(|x| &*x.policy.source.name).collect();
    prepared.decide(
        &set,
        (&p.id.arn, p.unique_id.as_deref()),
        trust.as_ref(),
        &names,
    )
}

/// Whether a policy reads `aws:PrincipalTag`: a condition key, or a policy variable in a
/// resource or condition value (any letter case).
fn reads_principal_tag(p: &Policy) -> bool {
    let variable =
        |t: &str| t.contains("${") && t.to_ascii_lowercase().contains("aws:principaltag");
    p.statements.iter().any(|s| {
        s.conditions.iter().any(|c| {
            c.key_lower.starts_with("aws:principaltag")
                || c.values.iter().any(|v| variable(&v.text))
        }) || s
            .resource
            .as_ref()
            .is_some_and(|r| r.items.iter().any(|i| variable(&i.value)))
    })
}

/// The lower-cased actions of a profile's requirements.
pub fn profile_actions(profile: &Profile) -> Vec<String> {
    let mut v: Vec<String> = profile
        .requirements
        .iter()
        .map(|r| r.action.to_ascii_lowercase())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Whether a statement of `policy` can apply to a request for one of `actions` (lower-case).
/// A statement applies only when its `Action` matches the request's action (IAM matches action
/// names case-insensitively, with `*` and `?` wildcards), so a policy for which this is false
/// cannot take part in any decision on those actions, neither allow nor deny, and leaving it
/// out changes no result. `NotAction` statements and wildcard profile actions always count.
pub fn relevant(policy: &crate::model::Policy, actions: &[String]) -> bool {
    policy.statements.iter().any(|s| {
        s.action.negated
            || s.action.items.iter().any(|p| {
                actions
                    .iter()
                    .any(|a| a.contains(['*', '?']) || glob(p.lower.as_bytes(), a.as_bytes()))
            })
    })
}

/// `*` matches any run of characters and `?` any one character (bytes; both inputs lower-case).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == b'*')
}

/// Summarises a check report: gaps, missing and denied actions.
pub fn gaps_of(report: &ProfileReport) -> Gaps {
    gaps_interned(report, &Mutex::new(BTreeSet::new()))
}

/// [`gaps_of`], sharing one allocation per action name across a whole scan.
fn gaps_interned(report: &ProfileReport, names: &Mutex<BTreeSet<Arc<str>>>) -> Gaps {
    let mut g = Gaps {
        gaps: report.gaps(),
        ..Gaps::default()
    };
    if let Some(t) = &report.trust {
        g.trust_open = t.open;
    }
    let decided = report
        .requirements
        .iter()
        .map(|r| (r.action.as_str(), r.decision, r.blocked.as_ref()))
        .chain(
            report
                .trust
                .iter()
                .map(|t| (t.action.as_str(), t.decision, t.blocked.as_ref())),
        );
    for (action, decision, blocked) in decided {
        record(&mut g, action, decision, blocked, names);
    }
    g.unproven = report
        .requirements
        .iter()
        .filter(|r| r.decision == Decision::Allowed)
        .filter_map(|r| check::unproven_allow(&r.action, &r.resource, &r.missing_context))
        .collect();
    g
}

/// Adds one decided request to the summary.
fn record(
    g: &mut Gaps,
    action: &str,
    decision: Decision,
    blocked: Option<&check::Blocked>,
    names: &Mutex<BTreeSet<Arc<str>>>,
) {
    let list = match decision {
        Decision::Allowed => return,
        Decision::ImplicitDeny => &mut g.missing,
        Decision::ExplicitDeny => &mut g.denied,
    };
    if list.iter().any(|x| &**x == action) {
        return;
    }
    let action = intern(names, action);
    list.push(action.clone());
    if let Some(b) = blocked {
        let detail = match b.by {
            check::BlockedBy::Identity => NO_IDENTITY_STATEMENT,
            _ => b.detail.as_str(),
        };
        g.blocked.push(BlockedGap {
            action,
            by: b.by,
            detail: intern(names, detail),
        });
    }
}

/// [`gaps_interned`] from the fast path's decisions.
fn gaps_decided(
    d: &check::Decisions,
    prepared: &check::PreparedProfile,
    names: &Mutex<BTreeSet<Arc<str>>>,
) -> Gaps {
    let mut g = Gaps {
        gaps: d
            .requirements
            .iter()
            .filter(|x| **x != Decision::Allowed)
            .count()
            + usize::from(d.trust.is_some_and(|t| t != Decision::Allowed)),
        ..Gaps::default()
    };
    let decided = prepared
        .actions()
        .zip(d.requirements.iter().copied().zip(d.blocked.iter()))
        .chain(
            prepared
                .trust_action()
                .zip(d.trust.map(|t| (t, &d.trust_blocked))),
        );
    for (action, (decision, blocked)) in decided {
        record(&mut g, action, decision, blocked.as_ref(), names);
    }
    g.unproven.clone_from(&d.unproven);
    g
}

/// The trust result's "others" answer in a line's words.
fn others_of(tr: &check::TrustResult) -> Others {
    let detail = match (tr.others, tr.others_examples.first()) {
        (Some(true), Some(a)) => format!(
            "for example `{}` calling `{}`",
            a.example
                .principal
                .as_deref()
                .unwrap_or("an anonymous caller"),
            a.example.action
        ),
        (Some(_), _) => String::new(),
        (None, _) => tr
            .others_unknown
            .clone()
            .unwrap_or_else(|| "the analysis did not decide".into()),
    };
    Others {
        can: tr.others,
        service: tr.principal.clone(),
        detail,
    }
}

/// One shared allocation per action name.
fn intern(names: &Mutex<BTreeSet<Arc<str>>>, a: &str) -> Arc<str> {
    let mut names = names.lock().unwrap_or_else(|e| e.into_inner());
    match names.get(a) {
        Some(n) => n.clone(),
        None => {
            let n: Arc<str> = Arc::from(a);
            names.insert(n.clone());
            n
        }
    }
}

/// Scans `principals` of `account` (plus principals that could not be read at all, from a
/// live read) against `profiles`. `progress` is called once per principal checked.
pub fn scan(
    account: &Account<'_>,
    principals: &[PrincipalId],
    unreadable: &[PrincipalError],
    profiles: &[&Profile],
    params: &BTreeMap<String, String>,
    progress: &(dyn Fn(usize) + Sync),
) -> ScanReport {
    scan_in_org(
        account,
        principals,
        unreadable,
        profiles,
        params,
        progress,
        true,
        Org::default(),
    )
}

/// The organization policies that apply to every principal of the account: its service
/// control policies (one level: one must allow, none may deny) and the resource control
/// policies of the account that owns the profiles' resources.
#[derive(Clone, Copy, Debug, Default)]
pub struct Org<'a> {
    pub scps: &'a [Policy],
    pub rcps: &'a [Policy],
}

impl Org<'_> {
    fn is_empty(&self) -> bool {
        self.scps.is_empty() && self.rcps.is_empty()
    }
}

/// [`scan`] under an organization's SCPs and RCPs ([`Org`]), with the fast path on or off:
/// off checks each principal with the full check library ([`check::check_resolved`]) on all
/// of its policies; on leaves out irrelevant identity policies ([`relevant`]), compiles each
/// shared policy once and evaluates only the decisions (both give the same results: tests
/// compare them). Each principal is checked with the organization's policies as `check --scp
/// --rcp` checks one (the fast path, which knows no organization policy, is left out when
/// there are any).
#[allow(clippy::too_many_arguments)]
pub fn scan_in_org(
    account: &Account<'_>,
    principals: &[PrincipalId],
    unreadable: &[PrincipalError],
    profiles: &[&Profile],
    params: &BTreeMap<String, String>,
    progress: &(dyn Fn(usize) + Sync),
    prefilter: bool,
    org: Org<'_>,
) -> ScanReport {
    let prefilter = prefilter && org.is_empty();
    let resolver = Resolver::new(account, principals);
    let done = AtomicUsize::new(0);
    let shared = resolver.shared_policies();
    let pruners: Vec<Pruner> = profiles
        .iter()
        .map(|p| Pruner::new(p, prefilter, &shared))
        .collect();
    drop(shared);
    // each profile's parameters with its role parameters bound to the account's roles (paths
    // included, [`Profile::with_account_roles`])
    let role_arns: Vec<String> = account
        .principals(crate::sources::Selection::Roles)
        .into_iter()
        .map(|id| id.arn)
        .collect();
    let given: Vec<BTreeMap<String, String>> = profiles
        .iter()
        .map(|p| p.with_account_roles(params, &role_arns))
        .collect();
    let names = Mutex::new(BTreeSet::new());
    let per_principal = par_map(principals, |id| {
        let out = check_one(
            &resolver, id, profiles, &pruners, &given, &names, prefilter, org,
        );
        progress(done.fetch_add(1, Ordering::Relaxed) + 1);
        out
    });
    let mut report = ScanReport::default();
    for (entries, corpus) in per_principal {
        report.entries.extend(entries);
        report.corpus_policies.extend(corpus);
    }
    for e in unreadable {
        for p in profiles.iter().filter(|p| applies(p, e.principal.kind)) {
            report.entries.push(ScanEntry {
                principal: e.principal.clone(),
                profile: p.id.clone(),
                result: Err(e.to_string()),
            });
        }
    }
    report
}

type Checked = (Vec<ScanEntry>, Vec<(String, String)>);

#[allow(clippy::too_many_arguments)]
fn check_one(
    resolver: &Resolver<'_, '_>,
    id: &PrincipalId,
    profiles: &[&Profile],
    pruners: &[Pruner],
    given: &[BTreeMap<String, String>],
    names: &Mutex<BTreeSet<Arc<str>>>,
    fast: bool,
    org: Org<'_>,
) -> Checked {
    let applicable: Vec<(&Profile, &Pruner, &BTreeMap<String, String>)> = profiles
        .iter()
        .zip(pruners)
        .zip(given)
        .filter(|((p, _), _)| applies(p, id.kind))
        .map(|((p, a), g)| (*p, a, g))
        .collect();
    let entry = |p: &Profile, result| ScanEntry {
        principal: id.clone(),
        profile: p.id.clone(),
        result,
    };
    let resolved = match resolver.resolve(id) {
        Ok(r) => r,
        Err(e) => {
            let msg = e.to_string();
            let entries = applicable
                .iter()
                .map(|(p, _, _)| entry(p, Err(msg.clone())))
                .collect();
            return (entries, Vec::new());
        }
    };
    let corpus = resolved
        .corpus_policies()
        .into_iter()
        .map(|(a, v)| (a.to_string(), v.to_string()))
        .collect();
    // The fast path knows no principal tags: a tagged principal whose policies read
    // `aws:PrincipalTag` takes the full check.
    let fast = fast
        && (resolved.tags.is_empty()
            || !resolved
                .identity
                .iter()
                .chain(resolved.boundary.iter())
                .any(|x| reads_principal_tag(&x.policy)));
    let entries = applicable
        .iter()
        .map(|(p, pruner, params)| {
            let account = account_of(&resolved.id.arn);
            let r = pruner
                .params(p, params, account.as_deref())
                .and_then(|(params, prepared)| {
                    if fast && let Some(prepared) = &prepared {
                        if let Some(d) = decide(&resolved, pruner, prepared) {
                            return Ok(gaps_decided(&d, prepared, names));
                        }
                    }
                    let mut policies = principal_policies_for(&resolved, pruner);
                    policies.scps = org.scps.to_vec();
                    policies.rcps = org.rcps.to_vec();
                    check::check_resolved(p, &policies, params).map(|r| gaps_interned(&r, names))
                })
                .map(|mut g| {
                    // a role that has everything: may others assume it too? (only these, so
                    // that a scan of thousands of roles with gaps costs nothing more)
                    if g.gaps == 0
                        && let Some(t) = &resolved.trust
                        && let Ok((params, _)) = pruner.params(p, params, account.as_deref())
                        && let Ok(Some(tr)) = check::check_trust_with(
                            p,
                            (&t.policy, org.rcps),
                            &params,
                            &BTreeMap::new(),
                        )
                    {
                        g.others = Some(others_of(&tr));
                    }
                    g
                })
                .map_err(|e: CheckError| format!("{id}: {e}"));
            entry(p, r)
        })
        .collect();
    (entries, corpus)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_iam_action_patterns() {
        assert!(glob(b"codedeploy:*", b"codedeploy:createdeployment"));
        assert!(glob(b"*", b"sns:listtopics"));
        assert!(glob(b"codedeploy:get*", b"codedeploy:getdeployment"));
        assert!(glob(
            b"codedeploy:list?eployments",
            b"codedeploy:listdeployments"
        ));
        assert!(glob(b"*:list*", b"lambda:listfunctions"));
        assert!(!glob(b"codedeploy:get*", b"codedeploy:listdeployments"));
        assert!(!glob(b"s3:*", b"sns:listtopics"));
        assert!(!glob(
            b"codedeploy:getdeployment",
            b"codedeploy:getdeploymentgroup"
        ));
        assert!(glob(
            b"codedeploy:getdeployment*",
            b"codedeploy:getdeploymentgroup"
        ));
    }

    #[test]
    fn account_is_read_from_the_arn() {
        assert_eq!(
            account_of("arn:aws:iam::111122223333:user/alice").as_deref(),
            Some("111122223333")
        );
        assert_eq!(account_of("arn:aws:iam::aws:policy/X"), None);
    }
}
