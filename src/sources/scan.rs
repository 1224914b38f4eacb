//! Every user and role of an account against one or more profiles.
//!
//! A profile for users (`"principal": "user"`: a person or pipeline that deploys) applies to
//! users and roles; a profile for service roles (`"principal": "role"`, with a trust
//! requirement) applies to roles only. Principals are resolved and checked in parallel on
//! every core; each one's policies are dropped as soon as it is checked, and the results come
//! back in the account's order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{
    Account, PrincipalError, PrincipalId, PrincipalType, ResolvedPrincipal, Resolver, par_map,
};
use crate::check::{self, CheckError, Decision, PrincipalPolicies, ProfileReport};
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
    pub missing: Vec<String>,
    /// Actions explicitly denied, in profile order, without repeats.
    pub denied: Vec<String>,
}

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
        trust: p.trust.as_ref().map(|x| (*x.policy).clone()),
        arn: Some(p.id.arn.clone()),
        account: account_of(&p.id.arn),
    }
}

/// Summarises a check report: gaps, missing and denied actions.
pub fn gaps_of(report: &ProfileReport) -> Gaps {
    let mut g = Gaps {
        gaps: report.gaps(),
        ..Gaps::default()
    };
    let push = |list: &mut Vec<String>, a: &str| {
        if !list.iter().any(|x| x == a) {
            list.push(a.to_string());
        }
    };
    for r in &report.requirements {
        match r.decision {
            Decision::Allowed => {}
            Decision::ImplicitDeny => push(&mut g.missing, &r.action),
            Decision::ExplicitDeny => push(&mut g.denied, &r.action),
        }
    }
    if let Some(t) = &report.trust {
        match t.decision {
            Decision::Allowed => {}
            Decision::ImplicitDeny => push(&mut g.missing, &t.action),
            Decision::ExplicitDeny => push(&mut g.denied, &t.action),
        }
    }
    g
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
    let resolver = Resolver::new(account, principals);
    let done = AtomicUsize::new(0);
    let per_principal = par_map(principals, |id| {
        let out = check_one(&resolver, id, profiles, params);
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

fn check_one(
    resolver: &Resolver<'_, '_>,
    id: &PrincipalId,
    profiles: &[&Profile],
    params: &BTreeMap<String, String>,
) -> Checked {
    let applicable: Vec<&&Profile> = profiles.iter().filter(|p| applies(p, id.kind)).collect();
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
                .map(|p| entry(p, Err(msg.clone())))
                .collect();
            return (entries, Vec::new());
        }
    };
    let corpus = resolved
        .corpus_policies()
        .into_iter()
        .map(|(a, v)| (a.to_string(), v.to_string()))
        .collect();
    let policies = principal_policies(&resolved);
    drop(resolved);
    let entries = applicable
        .iter()
        .map(|p| {
            let r = check::check_principal(p, &policies, params)
                .map(|r| gaps_of(&r))
                .map_err(|e: CheckError| format!("{id}: {e}"));
            entry(p, r)
        })
        .collect();
    (entries, corpus)
}
