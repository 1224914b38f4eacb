//! Small questions about all requests, for the linter's security rules: *is some request for
//! these actions allowed, on these resources, under any context — and which request proves
//! it?*, and *can a principal outside the named accounts get access?*
//!
//! Each answer comes from the same partition as [`super::diff()`] and [`super::verify()`]:
//! one witness request per class, decided by the evaluator, and decided again before it is
//! returned. Context keys the caller cannot choose freely (the caller's own name, for
//! `${aws:username}`; the service a role is passed to) can be fixed to given classes; every
//! other key ranges over all its classes. A question the partition cannot answer within the
//! budget is answered `unknown`, never `no`.

use super::diff::{frame, set_policies};
use super::keys::KeyClass;
use super::space::{Restrict, Space, Step};
use super::verify::{AssertionKind, VerifyOptions, request_of};
use super::{AnalysisError, Example, Kind, StatementRef, Unknown};
use crate::eval::{CompiledPolicySet, PolicySet, evaluate};
use crate::model::Policy;

/// The most witness requests one question evaluates before it answers `unknown` (keeps a
/// lint run fast on policies with many conditions).
pub const BUDGET: usize = 20_000;

/// A question: is a request for one of `actions` allowed?
#[derive(Clone, Debug, Default)]
pub struct Question {
    /// Literal action names (any case).
    pub actions: Vec<String>,
    /// Only resources these ARN patterns match (empty: every resource).
    pub resources: Vec<String>,
    /// Context keys fixed to these classes (`None`: absent); every other key ranges over
    /// all its classes. With `own_variables`, the keys of the policies' policy variables
    /// must be among them (the answer does not report the analysis' notes about them as
    /// unknown); without, the classes a fixed policy variable names stay unknown.
    pub fixed: Vec<(String, Vec<Option<Vec<String>>>)>,
    /// One grant per action and per combination of the fixed keys' values (otherwise the
    /// first grant per action).
    pub per_fixed_value: bool,
    /// With `per_fixed_value`: the first this many fixed keys, where a request found leaves
    /// one out (no statement about its action reads it), are also tried with each of the
    /// key's classes, so a request allowed whatever the key holds is a grant for each value.
    pub spread: usize,
    /// Only these callers (resource and trust policies; default: every principal class).
    pub principals: Option<Vec<crate::eval::Principal>>,
    /// The fixed keys are the caller's own values and resources named through them are the
    /// caller's own, left out (see [`super::space::Frame::own_variables`]).
    pub own_variables: bool,
}

/// An allowed request and the statements (of the analysed policy type) that allow it.
#[derive(Clone, Debug)]
pub struct Grant {
    /// The action, catalog spelling.
    pub action: String,
    pub example: Example,
    pub statements: Vec<StatementRef>,
}

/// The answer to a [`Question`].
#[derive(Clone, Debug, Default)]
pub struct Answer {
    /// The grants found (empty: no such request is allowed, unless `unknown` says why it
    /// could not be decided).
    pub grants: Vec<Grant>,
    pub unknown: Vec<Unknown>,
}

impl Answer {
    /// `Some(true)` granted, `Some(false)` not granted, `None` undecided.
    pub fn granted(&self) -> Option<bool> {
        if !self.grants.is_empty() {
            Some(true)
        } else if self.unknown.is_empty() {
            Some(false)
        } else {
            None
        }
    }

    /// The grants of one action (case-insensitive).
    pub fn of<'a>(&'a self, action: &'a str) -> impl Iterator<Item = &'a Grant> + 'a {
        self.grants
            .iter()
            .filter(move |g| g.action.eq_ignore_ascii_case(action))
    }
}

/// Answers `q` over the policy set `set`, whose policies of `kind` are the ones analysed
/// (their statements are the ones a grant cites).
pub fn allowed(set: &PolicySet, kind: Kind, q: &Question) -> Result<Answer, AnalysisError> {
    let compiled = set
        .compile()
        .map_err(|e| AnalysisError::Compile(format!("{}: {}", e.code, e.message)))?;
    allowed_compiled(set, &compiled, kind, q)
}

/// [`allowed`] with the set already compiled (several questions about one set).
pub fn allowed_compiled(
    set: &PolicySet,
    compiled: &CompiledPolicySet,
    kind: Kind,
    q: &Question,
) -> Result<Answer, AnalysisError> {
    let pols = vec![set_policies(set)];
    let mut fr = frame(kind, &pols[0]);
    if let (Some(only), Some(_)) = (&q.principals, &fr.principals) {
        fr.principals = Some(only.clone());
    }
    let candidates = fr.principals.as_ref().map_or(1, Vec::len);
    fr.own_variables = q.own_variables;
    fr.tied = q
        .fixed
        .iter()
        .map(|(k, c)| (k.clone(), vec![c.clone(); candidates]))
        .collect();
    let restrict = Restrict {
        actions: q.actions.clone(),
        resources: q.resources.clone(),
    };
    let mut space = Space::new(&pols, fr, &restrict);
    // (one grant per class of a fixed key: the search keeps them apart)
    space.distinct_keys = q
        .fixed
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    // Policy variables are tied to the caller by `fixed` where the question needs it; when
    // the question reads them as the caller's own, the partition's note about them is not an
    // open question here. Otherwise the classes it names were not searched: they stay unknown.
    let own = q.own_variables;
    let mut unknown: Vec<Unknown> = std::mem::take(&mut space.unknowns)
        .into_iter()
        .filter(|u| !(own && u.reason.ends_with(super::space::TIED_TO_CALLER)))
        .collect();
    let target = kind.policy_type();
    let stmts = space.statements(0);
    let resource_account = space.resource_account().map(str::to_string);
    let fixed_keys: Vec<String> = q.fixed.iter().map(|(k, _)| k.clone()).collect();
    let mut grants: Vec<Grant> = Vec::new();
    let mut seen: std::collections::HashSet<(String, Vec<Option<Vec<String>>>)> =
        Default::default();
    let mut spent = 0usize;
    let mut errors: Vec<String> = Vec::new();
    let res = space.search::<()>(Some(0), |class, req| {
        spent += 1;
        if spent > BUDGET {
            return Ok(Step::Stop);
        }
        let d = match evaluate(compiled, req) {
            Ok(d) => d,
            Err(e) => {
                let m = format!("the evaluator cannot decide `{}`: {e}", req.action);
                if !errors.contains(&m) {
                    errors.push(m);
                }
                return Ok(Step::Continue);
            }
        };
        if !d.decision.is_allowed() {
            return Ok(Step::Continue);
        }
        // The request as found, and (one grant per fixed value) with each class of a fixed
        // key it leaves out: the search sets a fixed key only where a statement about the
        // action reads it, and a request allowed whatever the key holds is allowed for each
        // of its values (red team 34: an unconditioned PassRole behind a Deny that reads other
        // keys was granted for no service, and the escalation went unreported).
        let base = Example::of(req);
        // each try: the fixed keys it sets beyond the request's own (index in `q.fixed`, class
        // value), the request itself first; an example is made only for a try whose values
        // are new (a class's requests are mostly allowed alike)
        let mut tries: Vec<Vec<(usize, &Vec<String>)>> = vec![Vec::new()];
        if q.per_fixed_value {
            for (ki, (k, classes)) in q.fixed.iter().take(q.spread).enumerate() {
                if base.context.contains_key(k) {
                    continue;
                }
                let mut more = Vec::new();
                for t in &tries {
                    for c in classes.iter().flatten() {
                        let mut x = t.clone();
                        x.push((ki, c));
                        more.push(x);
                    }
                }
                if tries.len() + more.len() > 256 {
                    break;
                }
                tries.extend(more);
            }
        }
        let rep_lower = class.rep.to_ascii_lowercase();
        let before = grants.len();
        for (i, extra) in tries.into_iter().enumerate() {
            // (a key's value: the last try's setting of that key, else the request's)
            let values: Vec<Option<Vec<String>>> = fixed_keys
                .iter()
                .map(
                    |k| match extra.iter().rev().find(|(ki, _)| q.fixed[*ki].0 == *k) {
                        Some((_, c)) => Some((*c).clone()),
                        None => base.context.get(k).cloned(),
                    },
                )
                .collect();
            let sig = (rep_lower.clone(), values);
            if seen.contains(&sig) {
                continue;
            }
            let mut ex = base.clone();
            for (ki, c) in &extra {
                ex.context.insert(q.fixed[*ki].0.clone(), (*c).clone());
            }
            let Ok(again) = evaluate(compiled, &request_of(&ex, resource_account.as_deref()))
            else {
                continue;
            };
            if !again.decision.is_allowed() {
                continue;
            }
            // (the request found: the statements its own evaluation matched)
            let matched = if i == 0 { &d.matched } else { &again.matched };
            let statements = super::allowing(matched, target, &stmts);
            seen.insert(sig);
            grants.push(Grant {
                action: class.rep.clone(),
                example: ex,
                statements,
            });
            if !q.per_fixed_value {
                break;
            }
        }
        if grants.len() == before {
            return Ok(Step::Continue);
        }
        Ok(if q.per_fixed_value {
            Step::Continue
        } else {
            Step::NextClass
        })
    });
    if let Ok(u) = res {
        // as above: the variables are tied to the caller where the question needs it
        unknown.extend(
            u.into_iter()
                .filter(|u| !(own && u.reason.ends_with(super::space::TIED_TO_CALLER))),
        );
    }
    if spent > BUDGET {
        unknown.push(Unknown {
            reason: format!("more than {BUDGET} witness requests"),
            statements: Vec::new(),
        });
    }
    unknown.extend(errors.into_iter().map(|reason| Unknown {
        reason,
        statements: Vec::new(),
    }));
    Ok(Answer { grants, unknown })
}

/// The set in which identity policies (and a boundary) are analysed together.
pub fn identity_set(policies: &[&Policy]) -> PolicySet {
    PolicySet {
        identity: policies.iter().map(|p| (*p).clone()).collect(),
        ..Default::default()
    }
}

/// Can a principal outside `accounts` (or, with `accounts` empty, outside every account,
/// organization and network the policy names: the public) be granted access by this resource
/// or trust policy? The counterexamples answer yes; `holds == None` is undecided.
pub fn outside_access(
    policy: &Policy,
    kind: Kind,
    accounts: &[String],
) -> Result<super::Assertion, AnalysisError> {
    let o = VerifyOptions {
        kind,
        not_granted: Vec::new(),
        on: Vec::new(),
        no_public_access: accounts.is_empty(),
        only_accounts: accounts.to_vec(),
        max_counterexamples: 1,
    };
    let mut out = super::verify(std::slice::from_ref(policy), &o)?;
    let want = if accounts.is_empty() {
        AssertionKind::NoPublicAccess
    } else {
        AssertionKind::OnlyAccounts
    };
    out.retain(|a| a.kind == want);
    out.pop()
        .ok_or_else(|| AnalysisError::Compile("no assertion was verified".into()))
}

/// The classes a fixed key takes: absent, or one of `values`.
pub fn absent_or(values: &[&str]) -> Vec<KeyClass> {
    let mut v: Vec<KeyClass> = vec![None];
    v.extend(values.iter().map(|x| Some(vec![(*x).to_string()])));
    v
}

/// The classes a fixed key takes: one of `values` (never absent).
pub fn one_of(values: &[&str]) -> Vec<KeyClass> {
    values
        .iter()
        .map(|x| Some(vec![(*x).to_string()]))
        .collect()
}

/// Whether every catalog action is allowed on `resource` (under some context): full
/// administrator access.
#[derive(Clone, Debug, Default)]
pub struct EveryAction {
    /// `Some(true)`: every action; `Some(false)`: `missing` is not allowed; `None`: undecided.
    pub all: Option<bool>,
    /// One grant per action class (the statements that grant each).
    pub grants: Vec<Grant>,
    /// A catalog action no request for which is allowed.
    pub missing: Option<String>,
    pub unknown: Vec<Unknown>,
}

/// Is every catalog action allowed on `resource`? Visits each action class once; stops at
/// the first class no request of which is allowed.
pub fn every_action(
    set: &PolicySet,
    compiled: &CompiledPolicySet,
    kind: Kind,
    resource: &str,
) -> Result<EveryAction, AnalysisError> {
    let pols = vec![set_policies(set)];
    let fr = frame(kind, &pols[0]);
    let restrict = Restrict {
        actions: Vec::new(),
        resources: vec![resource.to_string()],
    };
    let mut space = Space::new(&pols, fr, &restrict);
    // (no key is tied to the caller here: every note is an open question)
    let mut unknown: Vec<Unknown> = std::mem::take(&mut space.unknowns);
    let target = kind.policy_type();
    let stmts = space.statements(0);
    let cat = crate::catalog::active();
    let mut grants: Vec<Grant> = Vec::new();
    let mut current: Option<String> = None;
    let mut current_ok = true;
    let mut missing: Option<String> = None;
    let mut spent = 0usize;
    let res = space.search::<()>(None, |class, req| {
        if current.as_deref() != Some(class.rep.as_str()) {
            if !current_ok {
                missing = current.clone();
                return Ok(Step::Stop);
            }
            current = Some(class.rep.clone());
            current_ok = class.members.iter().all(|m| cat.action(m).is_none());
        }
        spent += 1;
        if spent > BUDGET {
            return Ok(Step::Stop);
        }
        let Ok(d) = evaluate(compiled, req) else {
            return Ok(Step::Continue);
        };
        if !d.decision.is_allowed() {
            return Ok(Step::Continue);
        }
        let statements = super::allowing(&d.matched, target, &stmts);
        grants.push(Grant {
            action: class.rep.clone(),
            example: Example::of(req),
            statements,
        });
        current_ok = true;
        Ok(Step::NextClass)
    });
    if missing.is_none() && !current_ok {
        missing = current;
    }
    if let Ok(mut u) = res {
        unknown.append(&mut u);
    }
    if spent > BUDGET {
        unknown.push(Unknown {
            reason: format!("more than {BUDGET} witness requests"),
            statements: Vec::new(),
        });
    }
    let all = if missing.is_some() {
        Some(false)
    } else if unknown.is_empty() {
        Some(true)
    } else {
        None
    };
    Ok(EveryAction {
        all,
        grants,
        missing,
        unknown,
    })
}
