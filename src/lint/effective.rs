//! What policies *effectively* allow — Allow minus Deny, across statements and policies — for
//! the security rules.
//!
//! Each question names literal actions and where they must be allowed: on a resource no
//! policy names (an "unnamed" ARN of the action's own resource type: every role, every bucket),
//! or on any resource at all other than the caller's own. Policy variables in resources are
//! the caller's own fixed values (`${aws:PrincipalTag/RoleName}` names one role per caller),
//! unless the question asks with [`Ask::free_variables`] (the escalation rules): then they
//! take any value, and only the items naming the caller's own resource
//! ([`crate::lint::escalation::own_resource_item`]) are left out, for actions harmless there.
//! Context keys that bound a request only when they are fixed (`iam:PassedToService`) can be
//! fixed to the values the rule cares about; every other key takes every value, so a
//! condition protects only when no value of the context gets past it.
//!
//! Two cheap steps run before the analysis, both exact: an action no Allow statement covers
//! is not allowed; an action covered by an Allow statement without conditions (and without
//! policy variables in its resources) and by no Deny statement is allowed. Everything else
//! goes to the request-space analysis ([`crate::analysis::query`]); when the analysis cannot
//! decide within its budget, the rule falls back to the statement's wording (a finding, not
//! a silent pass).

use crate::analysis::query::{self, Question};
use crate::analysis::{Example, Kind};
use crate::eval::{PolicySet, resource_item_matches};
use crate::lint::PolicyType;
use crate::lint::util::statement_covers;
use crate::model::{Effect, Policy, Statement};

/// The caller's own name, for policy variables such as `${aws:username}`.
pub const CALLER: &str = "greenlight-caller";
/// A name no policy uses, for unnamed resources.
pub const UNNAMED: &str = "greenlight-unnamed";
/// An account no policy names, for unnamed resources.
pub const UNNAMED_ACCOUNT: &str = "999988887777";

/// Where the actions must be allowed.
#[derive(Clone, Debug)]
pub enum Scope {
    /// On an unnamed resource of the action's type (asked in each partition the policies
    /// write, [`places`]), or on one of these ARNs.
    Unnamed(Vec<String>),
    /// On a resource the policies do not name: an unnamed resource of the action's type, asked
    /// in each partition, Region and account the policies write too (a Region or an account
    /// names no resource, [`places`]). The risk categories' question.
    NotNamed,
    /// On any resource other than the caller's own.
    Any,
    /// On one of these ARNs only (not the action's unnamed ARN: a question about one of the
    /// resource types a request carries, such as the document of `ssm:CreateAssociation`).
    Only(Vec<String>),
}

/// A question about some actions.
#[derive(Clone, Debug)]
pub struct Ask {
    /// Literal actions, lower case.
    pub actions: Vec<String>,
    pub scope: Scope,
    /// Context keys fixed to these classes (`None`: absent).
    pub fixed: Vec<(String, Vec<Option<Vec<String>>>)>,
    /// The most actions handed to the analysis; beyond it the statements' wording decides
    /// (for the broad risk categories, whose action sets are large).
    pub max_analysed: Option<usize>,
    /// Policy variables in resources take any value, except that items naming only the
    /// caller's own resource are left out for actions harmless there (the escalation rules:
    /// a resource named through a principal tag is some other principal's). Otherwise every
    /// policy variable is the caller's own fixed value (`${aws:PrincipalTag/RoleName}` names
    /// one role per caller, not every role).
    pub free_variables: bool,
}

/// An action effectively allowed, and the statement that grants it.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Lower case, as asked.
    pub action: String,
    /// Index into the policies given.
    pub policy: usize,
    /// Index of the granting statement in that policy.
    pub statement: usize,
    /// The request that proves it (the analysis' witness, re-decided by the evaluator);
    /// `None` when the statement alone decides it (an unconditional Allow no Deny touches)
    /// or when the analysis could not decide and the statement's wording was used.
    pub example: Option<Example>,
    /// The values of the fixed keys in the example (`None` for a hit that holds for every
    /// value).
    pub fixed: Option<Vec<Option<Vec<String>>>>,
    /// The analysis could not decide; the hit comes from the statement's wording.
    pub undecided: bool,
}

/// The unnamed ARNs of an action, interned: those of its first required resource type, or,
/// when it requires none, of every resource type it takes (`s3:GetObject` reads an object
/// through its bucket, `arn:aws:s3:::b/k`, or through an access point: either is access to an
/// object the policy does not name).
type Unnamed = std::rc::Rc<[String]>;

/// An ARN of the action's resource type (the first required one) with every part no policy
/// could name filled with fresh values; `None` when the action takes only `"Resource": "*"`
/// or the catalog does not know it. The first of [`unnamed_arns`].
pub fn unnamed_arn(action_lower: &str) -> Option<String> {
    unnamed_arn_shared(action_lower).and_then(|a| a.first().cloned())
}

/// Every unnamed ARN of the action ([`Unnamed`]): empty when the action takes only
/// `"Resource": "*"` or the catalog does not know it.
pub fn unnamed_arns(action_lower: &str) -> Vec<String> {
    unnamed_arn_shared(action_lower)
        .map(|a| a.to_vec())
        .unwrap_or_default()
}

/// [`unnamed_arns`], shared: memoised per thread by catalog index ([`unnamed_arn_at`]).
fn unnamed_arn_shared(action_lower: &str) -> Option<Unnamed> {
    match crate::lint::action_index::index_of(action_lower) {
        Some(i) => unnamed_arn_at(i),
        // (not a catalog name in lower case: the catalog's own, case-insensitive lookup)
        None => crate::catalog::active()
            .action(action_lower)
            .and_then(unnamed_arn_interned),
    }
}

/// The unnamed ARNs of a catalog action ([`Unnamed`]), interned by text, so actions with the
/// same ARNs share one allocation ([`Own::same`]).
fn unnamed_arn_interned(a: crate::catalog::Action<'_>) -> Option<Unnamed> {
    thread_local! {
        static INTERN: std::cell::RefCell<std::collections::HashSet<Unnamed, crate::catalog::FxBuild>> =
            std::cell::RefCell::new(Default::default());
    }
    thread_local! {
        // per resource type index, its unnamed ARN (the inner `None`: no ARN format, or the
        // caller's own session)
        static OF_TYPE: std::cell::RefCell<Vec<Option<Option<String>>>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let res = a.resources();
    let mut arns: Vec<String> = Vec::new();
    let required = res.iter().find(|r| r.required == Some(true));
    for r in required
        .into_iter()
        .chain(res.iter().filter(|_| required.is_none()))
    {
        let t = r.resource_type;
        let i = t.index() as usize;
        let u = OF_TYPE.with(|m| {
            let mut m = m.borrow_mut();
            if let Some(Some(u)) = m.get(i) {
                return u.clone();
            }
            // (`arn:aws:sts::${Account}:self`, STS's `self-session`, is the calling session
            // itself: never another principal's resource)
            let u = t
                .arn_formats()
                .first()
                .filter(|f| !f.ends_with(":self"))
                .map(|f| fill(f));
            if m.len() <= i {
                m.resize(i + 1, None);
            }
            m[i] = Some(u.clone());
            u
        });
        if let Some(u) = u.filter(|u| !arns.contains(u)) {
            arns.push(u);
        }
    }
    if arns.is_empty() {
        return None;
    }
    Some(INTERN.with(|s| {
        let mut s = s.borrow_mut();
        if let Some(x) = s.get(arns.as_slice()) {
            return x.clone();
        }
        let x: Unnamed = arns.into();
        s.insert(x.clone());
        x
    }))
}

/// The places (partition, Region, account) that the policies' `Resource` items write as
/// literal values other than those of the unnamed ARNs: an item limited to one of them
/// (`arn:aws-us-gov:s3:::*/*`, `arn:aws:lambda:eu-west-1:*:function:*`,
/// `arn:aws:logs:us-west-2:111122223333:*`) still takes every resource there, so each unnamed
/// ARN is also asked in each such place. A policy is used in the partition it names, and a
/// Region or an account names no resource. With `partitions_only`, only the partitions (for a
/// question that brings its own ARNs, [`Scope::Unnamed`]).
fn places(policies: &[&Policy], partitions_only: bool) -> Vec<Place> {
    let mut out: Vec<Place> = Vec::new();
    let literal = |f: &str| !f.is_empty() && !f.contains(['*', '?', '$']);
    // A value the field takes: the field itself, or for a pattern (`us-gov-*`, `1111*`,
    // `aws-*`) a value it matches (each wildcard an `x`); nothing for `*` alone, an empty
    // field or a policy variable (the default values match those).
    fn witness(f: &str) -> Option<std::borrow::Cow<'_, str>> {
        if f.is_empty() || f.contains('$') || f.bytes().all(|b| b == b'*') {
            None
        } else if f.contains(['*', '?']) {
            Some(std::borrow::Cow::Owned(f.replace(['*', '?'], "x")))
        } else {
            Some(std::borrow::Cow::Borrowed(f))
        }
    }
    // (the last item's fields: consecutive items mostly repeat them, so they are not made
    // again)
    let mut last: Option<(&str, &str, &str, &str)> = None;
    let mut fresh_region: Vec<Option<String>> = Vec::new();
    for p in policies {
        for s in &p.statements {
            // An account a condition on `aws:ResourceAccount` names (`StringEquals` a literal
            // account): a resource of that account the policy does not name by ARN is asked
            // there too (the analysis reads the key from the resource's ARN, so asked only in
            // the unnamed account, an `Allow` on `*` limited to one account granted nothing)
            if !partitions_only {
                for c in &s.conditions {
                    if c.key_lower != "aws:resourceaccount" {
                        continue;
                    }
                    for v in &c.values {
                        let Some(a) = witness(&v.text).filter(|a| a.as_ref() != UNNAMED_ACCOUNT)
                        else {
                            continue;
                        };
                        let at = [None, None, Some(a.into_owned())];
                        if !out.iter().any(|x| x.service.is_none() && x.at == at) {
                            out.push(Place { service: None, at });
                        }
                    }
                }
            }
            // (`NotResource` too: a Deny `NotResource` limited to one account or Region is a
            // perimeter around it, and what it leaves is asked there)
            let Some(r) = s.resource.as_ref() else {
                continue;
            };
            for i in &r.items {
                // (the common case first: an item in the `aws` partition fixes nothing asked
                // for partitions only)
                if !i.value.starts_with("arn:")
                    || partitions_only && i.value.starts_with("arn:aws:")
                {
                    continue;
                }
                // (an item cut short, `arn:aws-us-gov:*`, fixes only the fields it has)
                let f = arn_fields5(&i.value);
                let field = |n: usize| f[n].unwrap_or("*");
                let (partition, service, region, account) =
                    (field(1), field(2), field(3), field(4));
                if last == Some((partition, service, region, account)) {
                    continue;
                }
                last = Some((partition, service, region, account));
                let service: Option<&str> = Some(service).filter(|x| literal(x));
                // An item whose Region pattern takes the unnamed ARNs' own Region (a Deny of
                // `us-east-1`) decides nothing about the other Regions: they are asked in a
                // Region no policy writes too.
                if !partitions_only
                    && witness(region).is_some()
                    && crate::lint::util::glob_match(region, UNNAMED_REGION)
                    && !fresh_region.iter().any(|x| x.as_deref() == service)
                {
                    fresh_region.push(service.map(str::to_string));
                }
                let at = [
                    witness(partition).filter(|p| p.as_ref() != "aws"),
                    witness(region).filter(|r| !partitions_only && r.as_ref() != UNNAMED_REGION),
                    witness(account).filter(|a| !partitions_only && a.as_ref() != UNNAMED_ACCOUNT),
                ];
                if at.iter().all(Option::is_none) {
                    continue;
                }
                // (made only when new)
                if !out.iter().any(|x| {
                    x.service.as_deref() == service
                        && x.at
                            .iter()
                            .zip(&at)
                            .all(|(a, b)| a.as_deref() == b.as_deref())
                }) {
                    out.push(Place {
                        service: service.map(str::to_string),
                        at: at.map(|v| v.map(std::borrow::Cow::into_owned)),
                    });
                }
            }
        }
    }
    for service in fresh_region {
        out.push(Place {
            service,
            at: [None, Some(FRESH_REGION.to_string()), None],
        });
    }
    out
}

/// A Region no policy writes ([`places`]).
const FRESH_REGION: &str = "xx-unnamed-1";

/// The first five `:`-separated fields of an ARN (`None` past its end), the colons found
/// eight bytes at a time ([`colons5`]).
fn arn_fields5(arn: &str) -> [Option<&str>; 5] {
    let mut out = [None; 5];
    let (cuts, n) = colons5(arn.as_bytes());
    let mut start = 0;
    for (k, slot) in out.iter_mut().enumerate() {
        // (field `k` ends at the `k`-th colon; past the last colon, the rest is the last field)
        let end = if k < n { cuts[k] } else { arn.len() };
        *slot = arn.get(start..end);
        if k >= n {
            break;
        }
        start = end + 1;
    }
    out
}

/// A place an item of `Resource` writes ([`places`]): the partition, Region and account it
/// fixes (`None`: not fixed, or that of the unnamed ARNs), for ARNs of its service (`None`:
/// a service pattern, every service). Only an item of the ARN's service can take the ARN in
/// that place, so the other services' ARNs are not asked there.
#[derive(PartialEq)]
struct Place {
    service: Option<String>,
    at: [Option<String>; 3],
}

/// `arns` and each of them in each of `places` of its service ([`places`]; a Region or an
/// account only where the ARN has one).
fn in_places(arns: &[String], places: &[Place]) -> Vec<String> {
    let mut out: Vec<String> = arns.to_vec();
    for arn in arns {
        let [Some(f0), Some(f1), Some(f2), Some(f3), Some(f4)] = arn_fields5(arn) else {
            continue;
        };
        // (the resource: after the fifth `:`)
        let Some(f5) = arn.get(f0.len() + f1.len() + f2.len() + f3.len() + f4.len() + 5..) else {
            continue;
        };
        let f = [arn.as_str(), f1, f2, f3, f4, f5];
        for place in places {
            if place
                .service
                .as_deref()
                .is_some_and(|x| !x.eq_ignore_ascii_case(f[2]))
            {
                continue;
            }
            let [partition, region, account] = &place.at;
            let p = partition.as_deref().unwrap_or(f[1]);
            let r = match region {
                Some(r) if !f[3].is_empty() => r.as_str(),
                _ => f[3],
            };
            let a = match account {
                Some(a) if !f[4].is_empty() => a.as_str(),
                _ => f[4],
            };
            let mut v =
                String::with_capacity(10 + p.len() + f[2].len() + r.len() + a.len() + f[5].len());
            for (k, part) in [p, f[2], r, a, f[5]].into_iter().enumerate() {
                v.push_str(if k == 0 { "arn:" } else { ":" });
                v.push_str(part);
            }
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// What an action is asked about in [`effective`], as the per-thread memos share it.
enum Own {
    Unnamed(Option<Unnamed>),
    Any(std::rc::Rc<[String]>),
}

impl Own {
    /// Which allocation it is: equal exactly when [`Own::same`] holds.
    fn address(&self) -> (u8, usize) {
        match self {
            Own::Unnamed(None) => (0, 0),
            Own::Unnamed(Some(a)) => (1, std::rc::Rc::as_ptr(a).cast::<u8>() as usize),
            Own::Any(a) => (2, std::rc::Rc::as_ptr(a).cast::<u8>() as usize),
        }
    }

    /// The same allocation (equal content in another allocation only makes a second set).
    fn same(&self, other: &Own) -> bool {
        match (self, other) {
            (Own::Unnamed(None), Own::Unnamed(None)) => true,
            (Own::Unnamed(Some(a)), Own::Unnamed(Some(b))) => std::rc::Rc::ptr_eq(a, b),
            (Own::Any(a), Own::Any(b)) => std::rc::Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// The ARNs of one [`Own`] (the scope's own appended), and per statement whether its
/// resources take one of them.
struct ArnSet {
    own: Own,
    arns: Vec<String>,
    take: Vec<u8>,
}

/// The ARN patterns of every resource type of the action (each placeholder a `*`): what
/// "any resource" means for it. Empty when the catalog lists none. Memoised per thread (the
/// rules ask about catalog actions and their own lists only: the unkeyed hash is safe).
pub fn type_patterns(action_lower: &str) -> Vec<String> {
    type_patterns_shared(action_lower).to_vec()
}

/// [`type_patterns`], memoised per thread and shared.
fn type_patterns_shared(action_lower: &str) -> std::rc::Rc<[String]> {
    type Memo = std::collections::HashMap<Box<str>, std::rc::Rc<[String]>, crate::catalog::FxBuild>;
    thread_local! {
        static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::default());
    }
    if let Some(v) = MEMO.with(|m| m.borrow().get(action_lower).cloned()) {
        return v;
    }
    // interned: actions of the same resource types share one allocation ([`Own::same`])
    thread_local! {
        static INTERN: std::cell::RefCell<std::collections::HashSet<std::rc::Rc<[String]>, crate::catalog::FxBuild>> =
            std::cell::RefCell::new(Default::default());
    }
    let v = type_patterns_uncached(action_lower);
    let v: std::rc::Rc<[String]> = INTERN.with(|i| {
        let mut i = i.borrow_mut();
        if let Some(x) = i.get(v.as_slice()) {
            return x.clone();
        }
        if i.len() > 100_000 {
            i.clear();
        }
        let x: std::rc::Rc<[String]> = v.into();
        i.insert(x.clone());
        x
    });
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(action_lower.into(), v.clone());
    });
    v
}

fn type_patterns_uncached(action_lower: &str) -> Vec<String> {
    let cat = crate::catalog::active();
    let Some(a) = cat.action(action_lower) else {
        return Vec::new();
    };
    let mut v: Vec<String> = Vec::new();
    for r in a.resources() {
        for f in r.resource_type.arn_formats() {
            // one partition: a policy is used in one, and `arn:aws:` is how it is written
            let p = fill_with(f, |n| if n == "Partition" { "aws" } else { "*" });
            if !v.contains(&p) {
                v.push(p);
            }
        }
    }
    v
}

/// Actions every request for which is authorized on a resource of each of these types, as
/// the service's own documentation says (the Service Authorization Reference's "required"
/// marker is not enough: it marks alternatives such as Bedrock AgentCore's AWS-owned and
/// custom code interpreters both required, and `batch:SubmitJob`'s `job`, which its user guide
/// does not scope; red team 58).
/// - `ec2:RunInstances`: "RunInstances requires an AMI and creates an instance" (Amazon EC2
///   User Guide, example policies, "Launch instances (RunInstances)",
///   <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ExamplePolicies_EC2.html#iam-example-runinstances>).
const ALWAYS_AUTHORIZED_ON: &[(&str, &[&str])] = &[("ec2:runinstances", &["image", "instance"])];

/// Whether the policies' unconditional `Deny` statements refuse every request for the action
/// (lower case): each request for it names a resource of every type [`ALWAYS_AUTHORIZED_ON`]
/// lists for it (`RunInstances` always the instance and the image), so a `Deny` whose
/// `Resource` takes every ARN of one such type (`arn:aws:ec2:*:*:instance/*`, `*`) refuses
/// the action on any resource. Only `Resource` items that include the whole type count
/// ([`crate::catalog::glob::includes`], in each partition the policies write, `aws` unless
/// they write another, as the questions ask); `false` when undecided.
pub fn denied_by_required_type(policies: &[&Policy], action_lower: &str) -> bool {
    let Some(&(_, types)) = ALWAYS_AUTHORIZED_ON
        .iter()
        .find(|(a, _)| *a == action_lower)
    else {
        return false;
    };
    let cat = crate::catalog::active();
    let Some(a) = cat.action(action_lower) else {
        return false;
    };
    let denies: Vec<&Statement> = policies
        .iter()
        .flat_map(|p| &p.statements)
        .filter(|s| {
            s.effect.value == Effect::Deny
                && s.conditions.is_empty()
                && s.principal.is_none()
                && s.resource.as_ref().is_some_and(|r| !r.negated)
                && crate::lint::util::statement_covers(s, action_lower)
        })
        .collect();
    if denies.is_empty() {
        return false;
    }
    // every partition the policies write (`aws` unless they name another, as the questions
    // ask): the type must be refused in each
    let mut partitions: Vec<&str> = vec!["aws"];
    for s in policies.iter().flat_map(|p| &p.statements) {
        for i in s.resource.iter().flat_map(|r| &r.items) {
            if let Some(part) = i
                .value
                .strip_prefix("arn:")
                .and_then(|r| r.split(':').next())
                && !part.is_empty()
                && !partitions.contains(&part)
            {
                partitions.push(part);
            }
        }
    }
    a.resources()
        .iter()
        .filter(|r| types.contains(&r.resource_type.name()))
        .any(|r| {
            let formats = r.resource_type.arn_formats();
            !formats.is_empty()
                && formats.iter().all(|f| {
                    partitions.iter().all(|part| {
                        let narrow = fill_with(f, |n| if n == "Partition" { part } else { "*" });
                        denies.iter().any(|s| {
                            s.resource.as_ref().is_some_and(|res| {
                                res.items.iter().any(|i| {
                                    i.value == "*"
                                        || crate::catalog::glob::includes(
                                            i.value.as_bytes(),
                                            narrow.as_bytes(),
                                        )
                                })
                            })
                        })
                    })
                })
        })
}

/// The Region of the unnamed ARNs.
const UNNAMED_REGION: &str = "us-east-1";

fn fill(format: &str) -> String {
    fill_with(format, |name| match name {
        "Partition" => "aws",
        "Region" => UNNAMED_REGION,
        "Account" | "AccountId" => UNNAMED_ACCOUNT,
        _ => UNNAMED,
    })
}

fn fill_with<'v>(format: &str, value: impl Fn(&str) -> &'v str) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let Some(close) = rest[i..].find('}') else {
            break;
        };
        out.push_str(value(&rest[i + 2..i + close]));
        rest = &rest[i + close + 1..];
    }
    out.push_str(rest);
    out
}

fn has_variable(s: &Statement) -> bool {
    s.resource
        .as_ref()
        .is_some_and(|r| r.items.iter().any(|i| i.value.contains("${")))
}

/// The statement's resources include `arn` (no policy variables).
fn resource_covers(s: &Statement, arn: &str) -> bool {
    match &s.resource {
        None => false,
        Some(r) => {
            let a = SplitArn::new(arn);
            let any = r.items.iter().any(|i| a.taken_by(&i.value));
            any != r.negated
        }
    }
}

/// [`resource_covers`], for the many ARNs a statement is asked about.
fn resource_covers_with(s: &Statement, arn: &str) -> bool {
    resource_covers(s, arn)
}

/// Whether the `Resource` item `item` (no policy variables taken as such) matches `arn`, as
/// [`resource_covers`] asks it.
#[cfg(test)]
fn item_covers(item: &str, arn: &str) -> bool {
    SplitArn::new(arn).taken_by(item)
}

/// The first five colons of `b` (their offsets, and how many there are, at most five).
fn colons5(b: &[u8]) -> ([usize; 5], usize) {
    let mut cuts = [0usize; 5];
    let mut n = 0;
    crate::swar::each_byte(b, b':', |i| {
        cuts[n] = i;
        n += 1;
        n < 5
    });
    (cuts, n)
}

/// An ARN split at its first five colons, to match `Resource` items against it.
struct SplitArn<'a> {
    text: &'a [u8],
    /// `None`: fewer than five colons (only `*` matches it).
    cuts: Option<[usize; 5]>,
}

impl<'a> SplitArn<'a> {
    fn new(arn: &'a str) -> SplitArn<'a> {
        let text = arn.as_bytes();
        let (cuts, n) = colons5(text);
        SplitArn {
            text,
            cuts: (n == 5).then_some(cuts),
        }
    }

    /// [`crate::eval::resource_item_matches`] of the `Resource` item `item` read without
    /// policy variables (and `*`), without compiling it: the item is split at its first five
    /// colons (fewer fields only when the last ends in `*`, which then takes the rest of the
    /// ARN), the ARN into as many fields, and each field matched as the evaluator's `glob`
    /// matches it (`*` any run, `?` one character, the rest literal and case-sensitive). A
    /// literal item matches the ARN it spells, when that has the six fields.
    fn taken_by(&self, item: &str) -> bool {
        if item == "*" {
            return true;
        }
        let Some(acuts) = &self.cuts else {
            return false;
        };
        let item = item.as_bytes();
        let (cuts, n) = colons5(item);
        let m = n + 1;
        if m < 6 && !(m >= 2 && item.last() == Some(&b'*')) {
            return false;
        }
        let field = |len: usize, c: &[usize; 5], i: usize, last: bool| -> (usize, usize) {
            let start = if i == 0 { 0 } else { c[i - 1] + 1 };
            let end = if last { len } else { c[i] };
            (start, end)
        };
        (0..m).all(|i| {
            let last = i + 1 == m;
            let (ps, pe) = field(item.len(), &cuts, i, last);
            let (ts, te) = field(self.text.len(), acuts, i, last);
            field_glob(&item[ps..pe], &self.text[ts..te])
        })
    }
}

#[cfg(test)]
fn resource_glob(item: &str, arn: &str) -> bool {
    SplitArn::new(arn).taken_by(item)
}

/// The evaluator's wildcard match of one field (`*`: any run of characters, `?`: exactly one
/// character; case-sensitive), over the field's text.
fn field_glob(p: &[u8], t: &[u8]) -> bool {
    #[inline]
    fn char_len(b: u8) -> usize {
        if b < 0x80 {
            1
        } else if b >= 0xF0 {
            4
        } else if b >= 0xE0 {
            3
        } else {
            2
        }
    }
    let (mut pi, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p[pi] {
                b'*' => {
                    if pi + 1 == p.len() {
                        return true;
                    }
                    star = Some((pi + 1, si));
                    pi += 1;
                    continue;
                }
                b'?' => {
                    if si < t.len() {
                        si += char_len(t[si]);
                        pi += 1;
                        continue;
                    }
                }
                c => {
                    if t.get(si) == Some(&c) {
                        si += 1;
                        pi += 1;
                        continue;
                    }
                }
            }
        } else if si == t.len() {
            return true;
        }
        match star {
            Some((sp, ss)) if ss < t.len() => {
                let ns = ss + char_len(t[ss]);
                star = Some((sp, ns));
                pi = sp;
                si = ns;
            }
            _ => return false,
        }
    }
}

/// The keys of the policy variables in the policies' resources (`aws:username`, ...).
fn variable_keys(policies: &[&Policy]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for p in policies {
        for s in &p.statements {
            let Some(r) = &s.resource else { continue };
            for i in &r.items {
                for v in crate::lint::util::variables(&i.value) {
                    let k = v.key();
                    if !k.is_empty()
                        && !matches!(k, "*" | "?" | "$")
                        && !keys.iter().any(|x| x.eq_ignore_ascii_case(k))
                    {
                        keys.push(k.to_string());
                    }
                }
            }
        }
    }
    keys
}

/// A `Resource` item that names only the caller's own resource through one of its policy
/// variables ([`crate::lint::escalation::own_resource_item`]).
fn own_item(text: &str) -> bool {
    crate::lint::util::variables(text).iter().any(|v| {
        let k = v.key();
        crate::lint::escalation::own_resource_item(text, k)
    })
}

/// What the actions left to the analysis are grouped by: whether they are harmless on the
/// caller's own resources, and the ARNs they are asked about.
type SlowKey = (bool, Vec<String>);

/// Keys a `Deny` guardrail commonly reads that take one value per request, that every
/// request can carry with any value, and that the analysis treats as free context (nothing
/// else in a request is tied to them): the Region asked for, TLS, MFA.
const FREE_GUARD_KEYS: &[&str] = &[
    "aws:requestedregion",
    "aws:securetransport",
    "aws:multifactorauthpresent",
];

/// Whether a `Deny` statement is a guardrail some request escapes without changing anything
/// else the policies read: one of its conditions is on a key of [`FREE_GUARD_KEYS`] that no
/// other statement of `policies` reads (no condition, no policy variable) and the question
/// does not fix, and one value of that key makes the condition false (`StringNotEquals` /
/// `StringNotLike` on a listed value without wildcard, `Bool` on the other boolean). Such a
/// `Deny` takes nothing away from "is some request allowed?": for every request the
/// policies allow without it, the same request with that key set so is allowed with it
/// (the `Deny` needs all its conditions, and no other statement reads the key). The
/// Region-, TLS- and MFA-guardrails of identity policies ("Deny outside these Regions",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-requested-region.html>)
/// are of this kind; the existence questions ([`effective`], [`cheap_unnamed_groups_with`])
/// then decide the action without the analysis, with the same answer.
pub(crate) fn escapable_deny(
    s: &Statement,
    policies: &[&Policy],
    fixed: &[(String, Vec<Option<Vec<String>>>)],
) -> bool {
    use crate::model::OpBase;
    if s.effect.value != Effect::Deny {
        return false;
    }
    s.conditions.iter().any(|c| {
        let k = c.key_lower.as_str();
        if !FREE_GUARD_KEYS.contains(&k)
            || c.op.qualifier.is_some()
            || c.values.is_empty()
            || fixed.iter().any(|(f, _)| f.eq_ignore_ascii_case(k))
        {
            return false;
        }
        let literal = |t: &str| !t.contains(['*', '?', '$']);
        let falsifiable = match c.op.base {
            OpBase::StringNotEquals | OpBase::StringNotEqualsIgnoreCase => {
                c.values.iter().any(|v| !v.text.contains("${"))
            }
            OpBase::StringNotLike => c.values.iter().any(|v| literal(&v.text)),
            OpBase::Bool => {
                let t = |v: &crate::model::CondValue, b: &str| v.text.eq_ignore_ascii_case(b);
                c.values.iter().all(|v| t(v, "true")) || c.values.iter().all(|v| t(v, "false"))
            }
            _ => false,
        };
        falsifiable
            && policies.iter().all(|p| {
                p.statements.iter().all(|o| {
                    std::ptr::eq(o, s)
                        || (o.conditions.iter().all(|oc| {
                            oc.key_lower != k
                                && oc.values.iter().all(|v| !mentions_variable(&v.text, k))
                        }) && o
                            .resource
                            .iter()
                            .all(|r| r.items.iter().all(|i| !mentions_variable(&i.value, k))))
                })
            })
    })
}

/// Whether a text holds a policy variable that may read `key` (lower case): any `${` whose
/// text names it, in any letter case (a conservative test).
fn mentions_variable(text: &str, key: &str) -> bool {
    text.contains("${") && text.to_ascii_lowercase().contains(key)
}

/// The actions of `ask` that the policies effectively allow, each with one granting
/// statement. `t` is the type the policies share (identity policies and boundaries are read as
/// one identity-policy set; a resource or trust policy alone, as the analysis frames it).
pub fn effective(policies: &[&Policy], t: PolicyType, ask: &Ask) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::with_capacity(ask.actions.len());
    let identity = t.is_identity_like();
    let extra: &[String] = match &ask.scope {
        Scope::Unnamed(extra) | Scope::Only(extra) => extra,
        Scope::NotNamed | Scope::Any => &[],
    };
    // every statement once: (policy, statement, has a policy variable in its resources)
    let sts: Vec<(usize, &Statement, bool)> = policies
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.statements.iter().map(move |s| (i, s, has_variable(s))))
        .collect();
    // the policies' `Action` blocks as catalog indices, and per statement of `sts` its place
    // in its policy: [`statement_covers`] by a search in index ranges
    let tables: Vec<std::rc::Rc<crate::lint::action_index::PolicyActions>> = policies
        .iter()
        .map(|p| crate::lint::action_index::of_policy(p))
        .collect();
    let place: Vec<usize> = policies
        .iter()
        .flat_map(|p| 0..p.statements.len())
        .collect();
    // The ARNs each action is asked about (its unnamed ARN or its types' patterns, then the
    // scope's own), one set per resource type: the memos share one allocation per action
    // type, so a set is found by address, without hashing. Per set and statement, whether
    // the statement's resources take one of them (0: not asked yet, 1: no, 2: yes): an ARN
    // pattern is compiled once per statement and set, not once per action.
    let mut sets: Vec<ArnSet> = Vec::new();
    let places = match &ask.scope {
        Scope::Unnamed(_) | Scope::Only(_) | Scope::Any => places(policies, true),
        Scope::NotNamed => places(policies, false),
    };
    // per statement, the statement alone compiled by [`conditional`]
    let mut alone: Vec<Alone> = (0..sts.len()).map(|_| Alone::default()).collect();
    // the Allow statements covering the action; whether a Deny statement covers it
    let mut allows: Vec<usize> = Vec::new();
    let mut plain: Vec<usize> = Vec::new();
    let mut denied: bool;
    // the `Deny` guardrails a request escapes ([`escapable_deny`]): they take nothing away
    let escapable: Vec<bool> = sts
        .iter()
        .map(|(_, s, _)| escapable_deny(s, policies, &ask.fixed))
        .collect();
    // keyed by whether the actions are harmless on the caller's own resources
    let mut last_set: Option<usize> = None;
    // the index in `sets` of each [`Own`], by [`Own::address`]
    let mut set_of: std::collections::HashMap<(u8, usize), usize, crate::catalog::FxBuild> =
        Default::default();
    // the actions left to the analysis, by (harmless on the caller's own, ARNs asked), in the
    // order of those keys once sorted; found per (harmless, set) through `slot_of`
    let mut slow: Vec<(SlowKey, Vec<String>)> = Vec::new();
    let mut slot_of: Vec<(bool, usize, usize)> = Vec::new();
    for a in &ask.actions {
        let own = match &ask.scope {
            Scope::Any => Own::Any(type_patterns_shared(a)),
            Scope::Unnamed(_) | Scope::NotNamed => Own::Unnamed(unnamed_arn_shared(a)),
            Scope::Only(_) => Own::Unnamed(None),
        };
        // consecutive actions are mostly of one resource type: the last set first, then
        // the set of the same allocation by its address (the sets hold their allocations, so
        // no address is reused while the map lives)
        let found = match last_set {
            Some(n) if sets[n].own.same(&own) => Some(n),
            _ => set_of.get(&own.address()).copied(),
        };
        let set = match found {
            Some(n) => n,
            None => {
                set_of.insert(own.address(), sets.len());
                let arns: Vec<String> = match &own {
                    // (the types' patterns in each partition the policies write)
                    Own::Any(p) if places.is_empty() => p.to_vec(),
                    Own::Any(p) => in_places(p, &places),
                    Own::Unnamed(u) => {
                        let own = u.as_deref().unwrap_or_default();
                        let mut v = if places.is_empty() {
                            own.to_vec()
                        } else {
                            in_places(own, &places)
                        };
                        v.extend(extra.iter().cloned());
                        v
                    }
                };
                sets.push(ArnSet {
                    own,
                    arns,
                    take: vec![0; sts.len()],
                });
                sets.len() - 1
            }
        };
        last_set = Some(set);
        // no ARN to ask about: nothing to decide
        if matches!(
            ask.scope,
            Scope::Unnamed(_) | Scope::Only(_) | Scope::NotNamed
        ) && sets[set].arns.is_empty()
        {
            continue;
        }
        allows.clear();
        denied = false;
        let index = crate::lint::action_index::index_of(a);
        for (k, (i, s, _)) in sts.iter().enumerate() {
            if tables[*i].covers(place[k], s, a, index) {
                match s.effect.value {
                    Effect::Allow => allows.push(k),
                    Effect::Deny => denied |= !escapable[k],
                }
            }
        }
        if allows.is_empty() {
            continue;
        }
        let ArnSet {
            arns, take: taken, ..
        } = &mut sets[set];
        let arns: &[String] = arns;
        let mut take = |k: usize| -> bool {
            if taken[k] == 0 {
                let s = sts[k].1;
                let yes = match &ask.scope {
                    Scope::Unnamed(_) | Scope::Only(_) | Scope::NotNamed => {
                        arns.iter().any(|arn| resource_covers_with(s, arn))
                    }
                    Scope::Any => s.resource.as_ref().is_some_and(|r| {
                        !r.negated
                            && r.items.iter().any(|i| {
                                let filled = i.value.replace(['*', '?'], "x");
                                arns.is_empty()
                                    || crate::lint::util::is_all_resources(&i.value)
                                    || arns.iter().any(|t| resource_item_matches(t, &filled))
                            })
                    }),
                };
                taken[k] = 1 + u8::from(yes);
            }
            taken[k] == 2
        };
        // an Allow is needed: none can cover an unnamed resource of the action, so it is not
        // allowed there (exact; policy variables aside)
        if let Scope::Unnamed(_) | Scope::Only(_) | Scope::NotNamed = &ask.scope {
            if allows.iter().all(|&k| !sts[k].2 && !take(k)) {
                continue;
            }
        }
        if identity && !denied {
            plain.clear();
            plain.extend(
                allows
                    .iter()
                    .copied()
                    .filter(|&k| sts[k].1.conditions.is_empty() && !sts[k].2 && take(k)),
            );
            if plain.is_empty() {
                // every granting statement decided on its own (no Deny touches the action);
                // one whose `Resource` takes no ARN asked grants nothing there (exact: it has
                // no policy variable), so it needs no decision
                let named = matches!(
                    ask.scope,
                    Scope::Unnamed(_) | Scope::Only(_) | Scope::NotNamed
                );
                let decided: Option<Vec<Vec<Hit>>> = allows
                    .iter()
                    .filter(|&&k| !named || sts[k].2 || take(k))
                    .map(|&k| {
                        let (i, s, _) = sts[k];
                        conditional(policies[i], i, s, a, arns, ask, &mut alone[k])
                    })
                    .collect();
                if let Some(per) = decided {
                    hits.extend(per.into_iter().flatten());
                    continue;
                }
            }
            if !plain.is_empty() {
                for &k in &plain {
                    let (i, s, _) = sts[k];
                    hits.push(Hit {
                        action: a.clone(),
                        policy: i,
                        statement: s.index,
                        example: None,
                        fixed: None,
                        undecided: false,
                    });
                }
                continue;
            }
        }
        let own_ok = crate::lint::escalation::harmless_on_own(a);
        let slot = match slot_of.iter().find(|&&(o, x, _)| o == own_ok && x == set) {
            Some(&(_, _, slot)) => slot,
            None => {
                // (another set may hold the same ARNs: one key, as a map keyed by them has)
                let slot = match slow
                    .iter()
                    .position(|((o, v), _)| *o == own_ok && v.as_slice() == arns)
                {
                    Some(slot) => slot,
                    None => {
                        slow.push(((own_ok, arns.to_vec()), Vec::new()));
                        slow.len() - 1
                    }
                };
                slot_of.push((own_ok, set, slot));
                slot
            }
        };
        slow[slot].1.push(a.clone());
    }
    if slow.is_empty() {
        return hits;
    }
    // (the keys are distinct: sorted, they are the order of a map keyed by them)
    slow.sort_by(|x, y| x.0.cmp(&y.0));
    let analysed: usize = slow.iter().map(|(_, v)| v.len()).sum();
    if ask.max_analysed.is_some_and(|m| analysed > m) {
        let mut takes = Takes::default();
        for ((_, arns), actions) in &slow {
            takes.answers.clear();
            takes.denies.clear();
            for a in actions {
                if let Some(h) = worded(policies, &tables, a, arns, ask, &mut takes) {
                    hits.push(h);
                }
            }
        }
        return hits;
    }
    // The set the analysis reads for some actions: each policy with only the statements whose
    // `Action`/`NotAction` covers one of them. The others never apply to a request for these
    // actions, so dropping them changes no decision (exact), and the partition of resources
    // and context keys shrinks to what matters (a long policy with Deny statements was the
    // cost of `lint`).
    //
    // For actions harmless on the caller's own resource (`own_ok`: the credential self-service
    // of [`crate::lint::escalation::SELF_SERVICE_ON_OWN_USER`] only), an Allow's `Resource`
    // items that name only the caller's own resource ([`crate::lint::escalation::own_resource_item`],
    // `user/${aws:username}`) are left out: they grant nothing but that resource, which the
    // question leaves out. Exact for every other resource; the rest of the statement (other
    // items) is analysed with its policy variables taking any value.
    let frame_of = |actions: &[String], own_ok: bool| -> (PolicySet, Kind) {
        let pruned: Vec<Policy> = policies
            .iter()
            .map(|p| {
                // (only the statements kept are copied)
                let mut q = Policy {
                    source: p.source.clone(),
                    version: p.version.clone(),
                    id: p.id.clone(),
                    statements: p
                        .statements
                        .iter()
                        .filter(|s| actions.iter().any(|a| statement_covers(s, a)))
                        .cloned()
                        .collect(),
                    statement_is_object: p.statement_is_object,
                    statement_key_span: p.statement_key_span,
                    span: p.span,
                    json_size: p.json_size,
                };
                if own_ok && ask.free_variables {
                    q.statements.retain_mut(|s| {
                        if s.effect.value != Effect::Allow {
                            return true;
                        }
                        let Some(r) = s.resource.as_mut().filter(|r| !r.negated) else {
                            return true;
                        };
                        r.items.retain(|i| !own_item(&i.value));
                        !r.items.is_empty()
                    });
                }
                q
            })
            .collect();
        // (the pruned policies are moved into the set: nothing else reads them)
        match t {
            PolicyType::Resource | PolicyType::Trust if pruned.len() == 1 => {
                let kind = if t == PolicyType::Trust {
                    Kind::Trust
                } else {
                    Kind::Resource
                };
                (
                    PolicySet {
                        identity: vec![crate::analysis::allow_all()],
                        resource_policy: pruned.into_iter().next(),
                        resource_policy_is_trust: t == PolicyType::Trust,
                        ..Default::default()
                    },
                    kind,
                )
            }
            _ => (
                PolicySet {
                    identity: pruned,
                    ..Default::default()
                },
                Kind::Identity,
            ),
        }
    };
    // With free variables they take any value (the caller's own resources are left out by
    // `frame_of` where the action is harmless there); otherwise each is the caller's own.
    let mut fixed = ask.fixed.clone();
    // Only identity variables are the caller's own: a key the request carries
    // (`${aws:UserAgent}`) is the caller's to choose, so it stays free.
    if !ask.free_variables {
        for k in variable_keys(policies) {
            if identity_variable(&k) && !fixed.iter().any(|(x, _)| x.eq_ignore_ascii_case(&k)) {
                fixed.push((k, query::absent_or(&[CALLER])));
            }
        }
    }
    let n_fixed = ask.fixed.len();
    for ((own_ok, arns), actions) in slow {
        let q = Question {
            actions: actions.clone(),
            resources: arns.clone(),
            fixed: fixed.clone(),
            per_fixed_value: n_fixed > 0,
            spread: n_fixed,
            principals: None,
            own_variables: !ask.free_variables,
        };
        let (set, kind) = frame_of(&q.actions, own_ok);
        let compiled = set.compile().ok();
        let answer = compiled
            .as_ref()
            .and_then(|c| query::allowed_compiled(&set, c, kind, &q).ok());
        for a in &actions {
            let decided = answer.as_ref().map(|ans| {
                let g: Vec<&query::Grant> = ans.of(a).collect();
                (
                    g.iter().map(|g| (*g).clone()).collect::<Vec<_>>(),
                    ans.unknown.is_empty(),
                )
            });
            match decided {
                Some((grants, _)) if !grants.is_empty() => {
                    for g in grants {
                        let values: Vec<Option<Vec<String>>> = ask
                            .fixed
                            .iter()
                            .map(|(k, _)| g.example.context.get(k).cloned())
                            .collect();
                        for st in &g.statements {
                            let Some(pi) = policies.iter().position(|p| *p.source.name == *st.file)
                            else {
                                continue;
                            };
                            hits.push(Hit {
                                action: a.clone(),
                                policy: pi,
                                statement: st.index,
                                example: Some(g.example.clone()),
                                fixed: Some(values.clone()),
                                undecided: false,
                            });
                        }
                    }
                }
                Some((_, true)) => {}
                // undecided: the statement's wording
                _ => {
                    if let Some(h) = worded(policies, &tables, a, &arns, ask, &mut Takes::default())
                    {
                        hits.push(h);
                    }
                }
            }
        }
    }
    hits
}

/// The actions one statement item grants (catalog indices), in the order asked: a [`Group`]
/// of one policy without its [`Hit`]s.
pub struct ItemGroup<'p> {
    pub statement: usize,
    pub span: crate::source::Span,
    pub via: &'p str,
    pub actions: Vec<u32>,
}

thread_local! {
    /// [`unnamed_arn_at`]'s memo, by catalog index (the outer `None`: not made yet).
    static UNNAMED_AT: std::cell::RefCell<Vec<Option<Option<Unnamed>>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// [`unnamed_arn_shared`] of the catalog action at `index`, memoised per thread in a table
/// indexed by it.
fn unnamed_arn_at(index: u32) -> Option<Unnamed> {
    UNNAMED_AT.with(|m| unnamed_arn_in(&mut m.borrow_mut(), index))
}

/// [`unnamed_arn_at`] of each action (catalog indices), in their order: the memo read once.
fn unnamed_arns_at(actions: &[u32]) -> Vec<Option<Unnamed>> {
    UNNAMED_AT.with(|m| {
        let mut m = m.borrow_mut();
        actions.iter().map(|&a| unnamed_arn_in(&mut m, a)).collect()
    })
}

/// [`unnamed_arn_at`] in its memo `m`.
fn unnamed_arn_in(m: &mut Vec<Option<Option<Unnamed>>>, index: u32) -> Option<Unnamed> {
    let i = index as usize;
    if let Some(Some(v)) = m.get(i) {
        return v.clone();
    }
    // (made from the catalog and the per-type memo: never this memo again)
    let v = crate::catalog::active()
        .action_at(index)
        .and_then(unnamed_arn_interned);
    if m.len() <= i {
        m.resize(i + 1, None);
    }
    m[i] = Some(v.clone());
    v
}

/// [`group`] of [`effective`] for the risk categories' question (the actions on a resource no
/// policy names, nothing fixed) when the cheap steps of [`effective`] decide every action, so
/// that nothing is analysed: an identity policy, and no action both covered by a Deny statement
/// and granted on its unnamed resource, nor granted only through conditional statements
/// [`conditional`] cannot decide. The steps are those of [`effective`], in its order; the
/// groups, their order and the order of their actions are those of [`group`] on the hits of
/// [`effective`] with `Scope::NotNamed` and nothing fixed, for `actions` (catalog
/// indices) that are distinct. `None` when some action needs the analysis (or the statements'
/// wording).
pub fn cheap_unnamed_groups<'p>(
    policy: &'p Policy,
    t: PolicyType,
    actions: &[u32],
    fixed: &[(String, Vec<Option<Vec<String>>>)],
) -> Option<Vec<ItemGroup<'p>>> {
    cheap_unnamed_groups_with(policy, t, actions, fixed, &UnnamedMemo::default())
}

/// How many actions the risk categories' question analyses at most ([`Ask::max_analysed`]);
/// past it, the statements' wording decides ([`worded`]).
pub const CATEGORY_MAX_ANALYSED: usize = 16;

/// Context keys fixed to classes of values ([`Ask::fixed`]).
pub type Fixed = Vec<(String, Vec<Option<Vec<String>>>)>;

/// What [`cheap_unnamed_groups`] learns about one policy and its fixed keys, kept for its
/// next question about the same policy (the four risk categories ask in turn): the places,
/// the unnamed ARNs asked and which statements take them, the statements alone.
#[derive(Default)]
pub struct UnnamedMemo(std::cell::RefCell<Option<UnnamedState>>);

struct UnnamedState {
    /// The fixed keys the rest was made for.
    fixed: Fixed,
    variable: Vec<bool>,
    /// Per statement, [`escapable_deny`].
    escapable: Vec<bool>,
    /// Per statement: an unconditional `Allow` whose `Resource` holds `"*"` (no variable, not
    /// `NotResource`), which takes every ARN asked.
    star: Vec<bool>,
    /// [`places`], made when an action first needs the ARNs asked.
    places: Option<Vec<Place>>,
    table: std::rc::Rc<crate::lint::action_index::PolicyActions>,
    /// Per unnamed ARN list, the ARNs asked and per statement whether it takes one.
    takes: Vec<(Unnamed, Unnamed, Vec<u8>)>,
    take_of: std::collections::HashMap<usize, usize, crate::catalog::FxBuild>,
    alone: Vec<Alone>,
}

/// [`cheap_unnamed_groups`], with what an earlier question about the same policy learnt
/// (`memo`, made for this policy only).
pub fn cheap_unnamed_groups_with<'p>(
    policy: &'p Policy,
    t: PolicyType,
    actions: &[u32],
    fixed: &[(String, Vec<Option<Vec<String>>>)],
    memo: &UnnamedMemo,
) -> Option<Vec<ItemGroup<'p>>> {
    if !t.is_identity_like() {
        return None;
    }
    let n = policy.statements.len();
    let ask = Ask {
        actions: Vec::new(),
        scope: Scope::NotNamed,
        fixed: fixed.to_vec(),
        max_analysed: None,
        free_variables: false,
    };
    let mut out: Vec<ItemGroup<'p>> = Vec::new();
    // per statement and item (the last place: `NotAction`), the group in `out`
    // (one table: statement `k`'s places start at `first[k]`)
    let mut first: Vec<usize> = Vec::with_capacity(n);
    let mut places_n = 0;
    for s in &policy.statements {
        first.push(places_n);
        places_n += s.action.items.len() + 1;
    }
    let mut group_of: Vec<Option<usize>> = vec![None; places_n];
    // per unnamed ARN list (interned: found by address), the ARNs asked (in the places the
    // policy names too, [`places`]) and per statement whether the statement's resources take
    // one (0: not asked yet, 1: no, 2: yes)
    let mut state = memo.0.borrow_mut();
    if state.as_ref().is_some_and(|x| x.fixed.as_slice() != fixed) {
        *state = None;
    }
    let UnnamedState {
        variable,
        escapable,
        star,
        places,
        table,
        takes,
        take_of,
        alone,
        ..
    } = state.get_or_insert_with(|| UnnamedState {
        fixed: fixed.to_vec(),
        variable: policy.statements.iter().map(has_variable).collect(),
        escapable: policy
            .statements
            .iter()
            .map(|s| escapable_deny(s, &[policy], fixed))
            .collect(),
        star: policy
            .statements
            .iter()
            .map(|s| {
                s.effect.value == Effect::Allow
                    && s.conditions.is_empty()
                    && !has_variable(s)
                    && s.resource
                        .as_ref()
                        .is_some_and(|r| !r.negated && r.items.iter().any(|i| i.value == "*"))
            })
            .collect(),
        places: None,
        table: crate::lint::action_index::of_policy(policy),
        takes: Vec::new(),
        take_of: Default::default(),
        alone: (0..n).map(|_| Alone::default()).collect(),
    });
    let variable: &[bool] = variable;
    let escapable: &[bool] = escapable;
    let star: &[bool] = star;
    // (for [`worded`], which reads the policies' tables)
    let tables = [table.clone()];
    // the actions [`effective`] would leave to the analysis (a `Deny` covers them, or a
    // conditional statement [`conditional`] cannot decide): (harmless on the caller's own,
    // index in `takes`, action)
    let mut slow: Vec<(bool, usize, u32)> = Vec::new();
    let mut last_take: Option<usize> = None;
    // the Allow statements covering the action, each with its first matching item (the last
    // place: `NotAction`), and those that grant it
    let mut allows: Vec<(usize, usize)> = Vec::new();
    let mut granting: Vec<(usize, usize)> = Vec::new();
    // the statements' `Action`/`NotAction` blocks as catalog indices: [`statement_covers`]
    // and [`crate::lint::util::matching_pattern`] at once, by bit tests
    let table: &crate::lint::action_index::PolicyActions = table;
    for (&a, arn) in actions.iter().zip(unnamed_arns_at(actions)) {
        let Some(arn) = arn else {
            continue;
        };
        allows.clear();
        let mut denied = false;
        for (k, (s, st)) in policy.statements.iter().zip(&table.statements).enumerate() {
            let Some(item) = st.item(a) else { continue };
            match s.effect.value {
                Effect::Allow => allows.push((k, item)),
                Effect::Deny => denied |= !escapable[k],
            }
        }
        if allows.is_empty() {
            continue;
        }
        // every covering `Allow` takes any ARN (`"Resource": "*"`), unconditionally, and no
        // `Deny` touches the action: each of them grants it, as the steps below would find
        // (the ARNs asked are never none), without asking for them
        if !denied && allows.iter().all(|&(k, _)| star[k]) {
            add_groups(policy, &allows, a, &mut group_of, &first, &mut out);
            continue;
        }
        // consecutive actions are mostly of one resource type: the last ARN first, then the
        // others by address (`takes` holds them, so no address is reused meanwhile)
        let i = match last_take {
            Some(i) if std::rc::Rc::ptr_eq(&takes[i].0, &arn) => i,
            _ => {
                let address = std::rc::Rc::as_ptr(&arn).cast::<u8>() as usize;
                *take_of.entry(address).or_insert_with(|| {
                    // (the unnamed ARNs themselves, shared, where the policy names no place)
                    let places = places.get_or_insert_with(|| self::places(&[policy], false));
                    let asked: Unnamed = if places.is_empty() {
                        arn.clone()
                    } else {
                        in_places(&arn, places).into()
                    };
                    takes.push((arn.clone(), asked, vec![0; n]));
                    takes.len() - 1
                })
            }
        };
        last_take = Some(i);
        let (_, asked, taken) = &mut takes[i];
        let asked: &[String] = &asked[..];
        let mut take = |k: usize| -> bool {
            let taken = &mut taken[k];
            if *taken == 0 {
                let s = &policy.statements[k];
                *taken = 1 + u8::from(asked.iter().any(|arn| resource_covers_with(s, arn)));
            }
            *taken == 2
        };
        if allows.iter().all(|&(k, _)| !variable[k] && !take(k)) {
            continue;
        }
        let name = crate::lint::action_index::name(a);
        if denied {
            slow.push((crate::lint::escalation::harmless_on_own(name), i, a));
            continue;
        }
        granting.clear();
        for &(k, item) in &allows {
            if policy.statements[k].conditions.is_empty() && !variable[k] && take(k) {
                granting.push((k, item));
            }
        }
        if granting.is_empty() {
            // every granting statement decided on its own (no Deny touches the action)
            let arns = asked;
            let mut undecided = false;
            for &(k, item) in &allows {
                // (a statement whose `Resource` takes no ARN asked grants nothing there: it
                // has no policy variable, `take` is exact)
                if !variable[k] && !take(k) {
                    continue;
                }
                let s = &policy.statements[k];
                let Some(hits) = conditional(policy, 0, s, name, arns, &ask, &mut alone[k]) else {
                    undecided = true;
                    break;
                };
                for h in hits {
                    debug_assert_eq!(h.statement, s.index);
                    // (a hit per class of the fixed keys: the statement grants it once)
                    if !granting.contains(&(k, item)) {
                        granting.push((k, item));
                    }
                }
            }
            if undecided {
                slow.push((crate::lint::escalation::harmless_on_own(name), i, a));
                continue;
            }
        }
        add_groups(policy, &granting, a, &mut group_of, &first, &mut out);
    }
    if slow.is_empty() {
        return Some(out);
    }
    // A few are analysed ([`effective`] does it); past [`CATEGORY_MAX_ANALYSED`], [`effective`]
    // reads the statements' wording ([`worded`]), as here: per (harmless on the caller's own,
    // ARNs asked) in their order, each action in the order asked, after every action decided
    // above (the order of [`effective`]'s hits)
    if slow.len() <= CATEGORY_MAX_ANALYSED {
        return None;
    }
    slow.sort_by(|x, y| (x.0, &takes[x.1].1[..]).cmp(&(y.0, &takes[y.1].1[..])));
    let mut worded_takes = Takes::default();
    let mut last: Option<(bool, usize)> = None;
    for &(own_ok, i, a) in &slow {
        let asked: &[String] = &takes[i].1[..];
        if last.is_none_or(|(o, j)| o != own_ok || takes[j].1[..] != *asked) {
            worded_takes.answers.clear();
            worded_takes.denies.clear();
        }
        last = Some((own_ok, i));
        let name = crate::lint::action_index::name(a);
        let Some(h) = worded(&[policy], &tables, name, asked, &ask, &mut worded_takes) else {
            continue;
        };
        let Some(k) = policy
            .statements
            .iter()
            .position(|s| s.index == h.statement)
        else {
            continue;
        };
        let Some(item) = table.statements[k].item(a) else {
            continue;
        };
        add_groups(policy, &[(k, item)], a, &mut group_of, &first, &mut out);
    }
    Some(out)
}

/// Adds action `a` to the groups of the statement items that grant it (`(statement, item)`,
/// the last item of a statement: `NotAction`), making the groups not made yet.
fn add_groups<'p>(
    policy: &'p Policy,
    granting: &[(usize, usize)],
    a: u32,
    group_of: &mut [Option<usize>],
    first: &[usize],
    out: &mut Vec<ItemGroup<'p>>,
) {
    for &(k, item) in granting {
        match group_of[first[k] + item] {
            Some(g) => out[g].actions.push(a),
            None => {
                group_of[first[k] + item] = Some(out.len());
                let s = &policy.statements[k];
                let (span, via) = match s.action.items.get(item) {
                    Some(p) if !s.action.negated => (p.span, p.text.as_str()),
                    _ => (s.action.key_span, "NotAction"),
                };
                // (a group mostly holds many actions: room for a few doublings)
                let mut actions = Vec::with_capacity(16);
                actions.push(a);
                out.push(ItemGroup {
                    statement: s.index,
                    span,
                    via,
                    actions,
                });
            }
        }
    }
}

/// Whether `hit` holds for the fixed keys' values `want` (`None` in `want`: absent).
pub fn holds_for(hit: &Hit, want: &[Option<Vec<String>>]) -> bool {
    match &hit.fixed {
        None => true,
        Some(v) => v == want,
    }
}

/// Where a finding about `action` granted by `s` points: the `Action` item that matches it,
/// or the `NotAction` key. The text is the item (or `NotAction`).
pub fn item_at(s: &Statement, action_lower: &str) -> (crate::source::Span, String) {
    match crate::lint::util::matching_pattern(s, action_lower) {
        Some(p) => (p.span, p.text.clone()),
        None => (s.action.key_span, "NotAction".to_string()),
    }
}

/// The statement grants every action (`*` or `*:*`): full administrator access, reported
/// by `full-admin` instead.
pub fn is_star_item(text: &str) -> bool {
    text == "*" || text == "*:*"
}

/// The statement's `Resource` names every resource of some kind (`*`, a pattern of only
/// wildcards, or `NotResource`), for wording.
pub fn any_resource(s: &Statement) -> bool {
    s.resource.as_ref().is_some_and(|r| {
        r.negated
            || r.items
                .iter()
                .any(|i| crate::lint::util::is_all_resources(&i.value))
    })
}

/// One finding's worth: the hits of one statement item, in the order asked.
pub struct Group<'h> {
    pub policy: usize,
    pub statement: usize,
    pub span: crate::source::Span,
    pub via: String,
    pub hits: Vec<&'h Hit>,
}

/// Groups hits by the statement item that grants them.
pub fn group<'h>(policies: &[&Policy], hits: &'h [Hit]) -> Vec<Group<'h>> {
    let mut out: Vec<Group<'h>> = Vec::new();
    // (the actions are the ones the rules ask about, never a policy's text: the unkeyed hash
    // is safe)
    let mut seen: std::collections::HashSet<(usize, usize, &str), crate::catalog::FxBuild> =
        Default::default();
    let mut last: Option<usize> = None;
    for h in hits {
        let Some(s) = policies
            .get(h.policy)
            .and_then(|p| p.statements.get(h.statement))
        else {
            continue;
        };
        // [`item_at`], without copying the item's text for a group that exists
        let (span, via): (crate::source::Span, &str) =
            match crate::lint::util::matching_pattern(s, &h.action) {
                Some(p) => (p.span, &p.text),
                None => (s.action.key_span, "NotAction"),
            };
        // (one group per policy and item: the last one used first, as consecutive hits
        // mostly come from one item)
        let found = match last {
            Some(gi) if out[gi].policy == h.policy && out[gi].span == span => Some(gi),
            _ => out
                .iter()
                .position(|g| g.policy == h.policy && g.span == span),
        };
        match found {
            Some(gi) => {
                last = Some(gi);
                if seen.insert((gi, h.policy, h.action.as_str())) {
                    out[gi].hits.push(h);
                }
            }
            None => {
                last = Some(out.len());
                seen.insert((out.len(), h.policy, h.action.as_str()));
                out.push(Group {
                    policy: h.policy,
                    statement: h.statement,
                    span,
                    via: via.to_string(),
                    hits: vec![h],
                });
            }
        }
    }
    out
}

/// The catalog spelling of a lower-case action.
pub fn display(action_lower: &str) -> String {
    display_shared(action_lower).to_string()
}

/// [`display`], memoised per thread and shared: findings name the same actions over and over
/// (the rules ask about catalog actions and their own lists only, so the unkeyed hash is
/// safe).
pub fn display_shared(action_lower: &str) -> std::rc::Rc<str> {
    type Memo = std::collections::HashMap<Box<str>, std::rc::Rc<str>, crate::catalog::FxBuild>;
    thread_local! {
        static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::default());
    }
    if let Some(v) = MEMO.with(|m| m.borrow().get(action_lower).cloned()) {
        return v;
    }
    let v: std::rc::Rc<str> = crate::catalog::active()
        .action(action_lower)
        .map_or_else(|| action_lower.to_string(), |a| a.full_name())
        .into();
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(action_lower.into(), v.clone());
    });
    v
}

/// "when `key` is `value`, ..." for an example's context (empty when it sets none).
pub fn context_note(e: &Example) -> String {
    if e.context.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = e
        .context
        .iter()
        .take(3)
        .map(|(k, v)| format!("`{k}` = `{}`", v.join(",")))
        .collect();
    format!(" (e.g. with {})", parts.join(", "))
}

/// A statement of a resource or trust policy through which a caller outside every account,
/// organization and network the policy names gets access, with the request that proves it.
pub struct Public {
    pub statement: usize,
    pub example: Option<Example>,
    /// The analysis could not decide whether the statement's conditions bound the caller
    /// (why): the statement is reported from its wording, which is no proof either way.
    pub undecided: Option<String>,
}

/// The statements of a resource (`Kind::Resource`) or trust (`Kind::Trust`) policy that give
/// the public access (IAM Access Analyzer's meaning; see [`crate::analysis::verify`]).
/// Only statements that allow everyone (`*`, `{"AWS": "*"}`), use `NotPrincipal`, or (trust
/// policies) trust a web-identity provider anyone can get a token from ([`shared_sign_in`])
/// are looked at; one without conditions that allows everyone, in a policy without Deny, is
/// public without the analysis. When the analysis cannot decide, such a statement counts as
/// public.
pub fn public_statements(policy: &Policy, kind: Kind) -> Vec<Public> {
    let open: Vec<&Statement> = policy
        .statements
        .iter()
        .filter(|s| {
            s.effect.value == Effect::Allow
                && (crate::lint::util::principal_is_everyone(s)
                    || s.principal.as_ref().is_some_and(|p| p.negated)
                    || (kind == Kind::Trust && shared_sign_in(s).is_some()))
        })
        .collect();
    if open.is_empty() {
        return Vec::new();
    }
    let no_deny = policy
        .statements
        .iter()
        .all(|s| s.effect.value != Effect::Deny);
    if no_deny {
        let plain: Vec<Public> = open
            .iter()
            .filter(|s| s.conditions.is_empty() && crate::lint::util::principal_is_everyone(s))
            .map(|s| Public {
                statement: s.index,
                example: None,
                undecided: None,
            })
            .collect();
        if !plain.is_empty() {
            return plain;
        }
    }
    match crate::analysis::query::outside_access(policy, kind, &[]) {
        Ok(a) if a.holds == Some(true) => Vec::new(),
        Ok(a) if a.holds == Some(false) => {
            let mut out: Vec<Public> = Vec::new();
            for c in a.counterexamples {
                for st in c.statements {
                    if !out.iter().any(|p| p.statement == st.index) {
                        out.push(Public {
                            statement: st.index,
                            example: Some(c.example.clone()),
                            undecided: None,
                        });
                    }
                }
            }
            out
        }
        other => {
            // (the analysis's reason, else its error: the wording decides, and says so)
            let why = match other {
                Ok(a) => a
                    .reason
                    .unwrap_or_else(|| "the analysis could not decide it".to_string()),
                Err(e) => e.to_string(),
            };
            open.iter()
                .map(|s| Public {
                    statement: s.index,
                    example: None,
                    // (a statement without a condition is public whatever the analysis says)
                    undecided: (!s.conditions.is_empty()).then(|| why.clone()),
                })
                .collect()
        }
    }
}

/// The host of a web-identity provider the statement trusts that anyone can get a token
/// from ([`crate::analysis::verify::public_web_identity`]), except GitHub's, whose `sub`
/// the GitHub rules (GL075, GL076) judge.
pub fn shared_sign_in(s: &Statement) -> Option<String> {
    let pr = s.principal.as_ref().filter(|p| !p.negated)?;
    let crate::model::PrincipalValue::Map(entries) = &pr.value else {
        return None;
    };
    entries
        .iter()
        .filter(|e| e.kind == crate::model::PrincipalKind::Federated)
        .flat_map(|e| &e.values)
        .filter_map(|v| crate::analysis::verify::public_web_identity(&v.value))
        .find(|h| h != "token.actions.githubusercontent.com")
}

/// "e.g. `principal` (with `key` = `value`)" for a public example.
pub fn caller_note(e: &Example) -> String {
    let who = e.principal.as_deref().unwrap_or("an anonymous caller");
    let who = if who == "*" || who.eq_ignore_ascii_case("anonymous") {
        "an anonymous caller".to_string()
    } else {
        format!("`{who}`")
    };
    format!(", e.g. {who}{}", context_note(e))
}

/// Decides one conditional Allow statement alone (no Deny covers the action), without the
/// analysis, when that is exact: a condition on a key that is not fixed is met by some value
/// of that key when it is the only condition on the key (every operator with a value can be
/// met, and the key may also be left out), so only the conditions on fixed keys matter; those
/// are evaluated by the evaluator on the statement alone, for each combination of the fixed
/// keys' classes. `None` when the shortcut does not apply (policy variables, two conditions on
/// one key, a resource that needs the analysis).
fn conditional(
    policy: &Policy,
    pi: usize,
    s: &Statement,
    action: &str,
    arns: &[String],
    ask: &Ask,
    one: &mut Alone,
) -> Option<Vec<Hit>> {
    // (whether the shortcut applies depends on the statement and the question only: decided
    // once per statement and question)
    if *one
        .usable
        .get_or_insert_with(|| conditional_applies(s, ask))
    {
        conditional_decided(policy, pi, s, action, arns, ask, one)
    } else {
        None
    }
}

/// What [`conditional`] keeps per statement and question: whether the shortcut applies, and
/// the statement alone, compiled.
#[derive(Default)]
struct Alone {
    usable: Option<bool>,
    compiled: Option<Option<crate::eval::CompiledPolicySet>>,
}

/// Whether [`conditional`] can decide the statement alone: no policy variables in its
/// resources, and its conditions on keys that are not fixed each on its own key.
fn conditional_applies(s: &Statement, ask: &Ask) -> bool {
    if has_variable(s) {
        return false;
    }
    let is_fixed = |k: &str| ask.fixed.iter().any(|(f, _)| f.eq_ignore_ascii_case(k));
    // keys read by the free conditions (their own key and the keys of the policy variables in
    // their values): each at most once, so the conditions can be met independently
    let mut free: Vec<String> = Vec::new();
    for c in &s.conditions {
        let vars: Vec<String> = c
            .values
            .iter()
            .flat_map(|v| crate::lint::util::variables(&v.text))
            .map(|v| v.key().to_ascii_lowercase())
            .collect();
        if is_fixed(&c.key_lower) {
            // a policy variable in a fixed key's condition (ABAC's `aws:ResourceTag/K` =
            // `${aws:PrincipalTag/K}`) is the caller's own value or absent, tried both ways
            // ([`conditional_decided`]); with free variables it is left to the analysis
            if !vars.is_empty()
                && (ask.free_variables || vars.iter().any(|k| !identity_variable(k)))
            {
                return false;
            }
            for k in vars {
                if is_fixed(&k) || free.contains(&k) {
                    return false;
                }
                free.push(k);
            }
            continue;
        }
        if c.values.is_empty() {
            return false;
        }
        for k in std::iter::once(c.key_lower.clone()).chain(vars) {
            if free.contains(&k) || is_fixed(&k) {
                return false;
            }
            free.push(k);
        }
    }
    true
}

/// Whether a policy variable names the caller's identity (`aws:username`, `aws:userid`,
/// `aws:PrincipalTag/K`, the caller's account, organization or ARN), as opposed to a value the
/// request carries and the caller chooses (`aws:UserAgent`, `aws:Referer`, `aws:SourceIp`,
/// service keys): only the first is "the caller's own" value.
pub(crate) fn identity_variable(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    matches!(
        k.as_str(),
        "aws:username"
            | "aws:userid"
            | "aws:principalaccount"
            | "aws:principalorgid"
            | "aws:principalarn"
            | "aws:principaltype"
    ) || k.starts_with("aws:principaltag/")
}

/// The keys of the policy variables in the statement's conditions on fixed keys.
fn fixed_condition_variables(s: &Statement, ask: &Ask) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in &s.conditions {
        if !ask
            .fixed
            .iter()
            .any(|(f, _)| f.eq_ignore_ascii_case(&c.key_lower))
        {
            continue;
        }
        for v in c
            .values
            .iter()
            .flat_map(|v| crate::lint::util::variables(&v.text))
        {
            let k = v.key().to_string();
            if !out.iter().any(|x| x.eq_ignore_ascii_case(&k)) {
                out.push(k);
            }
        }
    }
    out
}

/// [`conditional`] once [`conditional_applies`].
fn conditional_decided(
    policy: &Policy,
    pi: usize,
    s: &Statement,
    action: &str,
    arns: &[String],
    ask: &Ask,
    one: &mut Alone,
) -> Option<Vec<Hit>> {
    let is_fixed = |k: &str| ask.fixed.iter().any(|(f, _)| f.eq_ignore_ascii_case(k));
    // the resource witness
    let resource: String = match &ask.scope {
        Scope::Unnamed(_) | Scope::Only(_) | Scope::NotNamed => {
            arns.iter().find(|arn| resource_covers(s, arn))?.clone()
        }
        Scope::Any => {
            let r = s.resource.as_ref()?;
            if r.negated {
                return None;
            }
            let item = r.items.iter().find(|i| {
                let filled = i.value.replace(['*', '?'], "x");
                arns.is_empty()
                    || crate::lint::util::is_all_resources(&i.value)
                    || arns.iter().any(|t| resource_item_matches(t, &filled))
            })?;
            if crate::lint::util::is_all_resources(&item.value) {
                arns.first()
                    .map(|t| t.replace(['*', '?'], "x"))
                    .unwrap_or_else(|| "arn:aws:iam::999988887777:x".into())
            } else {
                item.value.replace(['*', '?'], "x")
            }
        }
    };
    // the statement alone, with only its conditions on fixed keys
    // (it depends on the statement only: compiled once per statement and question)
    let one = &mut one.compiled;
    if one.is_none() {
        let mut st = s.clone();
        st.conditions.retain(|c| is_fixed(&c.key_lower));
        st.index = 0;
        let alone = Policy {
            source: policy.source.clone(),
            version: policy.version.clone(),
            id: policy.id.clone(),
            statements: vec![st],
            statement_is_object: policy.statement_is_object,
            statement_key_span: policy.statement_key_span,
            span: policy.span,
            json_size: None,
        };
        *one = Some(query::identity_set(&[&alone]).compile().ok());
    }
    let compiled = one.as_ref().and_then(Option::as_ref)?;
    let mut combos: Vec<Vec<Option<Vec<String>>>> = vec![Vec::new()];
    for (_, classes) in &ask.fixed {
        let mut next = Vec::new();
        for c in &combos {
            for v in classes {
                let mut c2 = c.clone();
                c2.push(v.clone());
                next.push(c2);
            }
        }
        combos = next;
    }
    // the policy variables of fixed keys' conditions: absent, or each the caller's own value
    let vars = fixed_condition_variables(s, ask);
    let mut own: Vec<Vec<Option<&str>>> = vec![Vec::new()];
    for _ in &vars {
        own = own
            .into_iter()
            .flat_map(|o| {
                [None, Some(CALLER)].into_iter().map(move |v| {
                    let mut o = o.clone();
                    o.push(v);
                    o
                })
            })
            .collect();
    }
    let mut out = Vec::new();
    for combo in combos {
        let mut allowed = false;
        for assignment in &own {
            let mut ctx = crate::eval::Context::new();
            for ((k, _), v) in ask.fixed.iter().zip(&combo) {
                if let Some(v) = v {
                    ctx.set(k.clone(), v.clone());
                }
            }
            for (k, v) in vars.iter().zip(assignment) {
                if let Some(v) = v {
                    ctx.set(k.clone(), vec![v.to_string()]);
                }
            }
            let req = crate::eval::Request {
                action: action.to_string(),
                resource: resource.clone(),
                principal: None,
                resource_account: None,
                context: ctx,
            };
            allowed |= crate::eval::evaluate(compiled, &req)
                .ok()?
                .decision
                .is_allowed();
        }
        if allowed {
            out.push(Hit {
                action: action.to_string(),
                policy: pi,
                statement: s.index,
                example: None,
                fixed: Some(combo),
                undecided: false,
            });
        }
    }
    Some(out)
}

/// The first Allow statement whose wording grants `a`, for what the analysis does not decide:
/// conditions and `Deny` statements aside (a finding rather than a silent pass). On unnamed
/// resources (`arns`), its `Resource` must also be able to take one of them, with each policy
/// variable read as the question reads it (the caller's own value, or any value with
/// [`Ask::free_variables`]): a resource the policy names, such as the caller's own
/// `bucket/home/${aws:username}/*` or `user/${aws:username}`, does not count, nor one of
/// another resource type (`s3:PutBucketPolicy` on an object's ARN). `NotResource` always
/// counts.
fn worded(
    policies: &[&Policy],
    tables: &[std::rc::Rc<crate::lint::action_index::PolicyActions>],
    a: &str,
    arns: &[String],
    ask: &Ask,
    takes: &mut Takes,
) -> Option<Hit> {
    let index = crate::lint::action_index::index_of(a);
    // whether a statement's `Resource` can take one of `arns`: the same for every action of
    // the group, so asked once per statement
    let mut may_take = |i: usize, s: &Statement| -> bool {
        if let Some(&(_, _, yes)) = takes
            .answers
            .iter()
            .find(|(p, k, _)| *p == i && *k == s.index)
        {
            return yes;
        }
        let yes = match (&ask.scope, &s.resource) {
            (Scope::Unnamed(_) | Scope::Only(_) | Scope::NotNamed, Some(r)) if !r.negated => {
                let at = match takes
                    .compiled
                    .iter()
                    .position(|(p, k, _)| *p == i && *k == s.index)
                {
                    Some(at) => at,
                    None => {
                        let items = r
                            .items
                            .iter()
                            .map(|item| {
                                crate::eval::ResourceItem::new(&read_variables(
                                    &item.value,
                                    ask.free_variables,
                                ))
                            })
                            .collect();
                        takes.compiled.push((i, s.index, items));
                        takes.compiled.len() - 1
                    }
                };
                takes.compiled[at]
                    .2
                    .iter()
                    .any(|read| arns.iter().any(|arn| read.matches(arn)))
            }
            _ => true,
        };
        takes.answers.push((i, s.index, yes));
        yes
    };
    // an unconditional `Deny` of the action on every resource asked takes it away whatever
    // the wording of the `Allow`s (red team 57: `Allow *` beside `Deny *` on `*` was reported
    // by the risk categories, which fall back to the wording past their analysis budget)
    // (whether a `Deny`'s `Resource` takes every ARN asked is the same for every action of
    // the group: asked once per statement)
    let denied = policies.iter().zip(tables).enumerate().any(|(i, (p, t))| {
        p.statements.iter().enumerate().any(|(k, s)| {
            if s.effect.value != Effect::Deny
                || !s.conditions.is_empty()
                || s.principal.is_some()
                || !t.covers(k, s, a, index)
            {
                return false;
            }
            if let Some(&(_, _, yes)) = takes.denies.iter().find(|(p, q, _)| *p == i && *q == k) {
                return yes;
            }
            let yes = s.resource.as_ref().is_some_and(|r| {
                if r.items.iter().any(|i| i.value.contains("${")) {
                    return false;
                }
                let items: Vec<crate::eval::ResourceItem> = r
                    .items
                    .iter()
                    .map(|i| crate::eval::ResourceItem::new(&i.value))
                    .collect();
                if arns.is_empty() {
                    // (any resource: only `Resource: "*"` denies them all)
                    return !r.negated && r.items.iter().any(|i| i.value == "*");
                }
                arns.iter()
                    .all(|arn| items.iter().any(|i| i.matches(arn)) != r.negated)
            });
            takes.denies.push((i, k, yes));
            yes
        })
    });
    if denied {
        return None;
    }
    policies
        .iter()
        .zip(tables)
        .enumerate()
        .find_map(|(i, (p, t))| {
            p.statements
                .iter()
                .enumerate()
                .find(|(k, s)| {
                    s.effect.value == Effect::Allow && t.covers(*k, s, a, index) && may_take(i, s)
                })
                .map(|(_, s)| Hit {
                    action: a.to_string(),
                    policy: i,
                    statement: s.index,
                    example: None,
                    fixed: None,
                    undecided: true,
                })
        })
}

/// What [`worded`] asks of statements: each one's `Resource` items compiled once, and, for the
/// current group of ARNs, (policy, statement, whether its `Resource` can take one of them).
#[derive(Default)]
struct Takes {
    compiled: Vec<(usize, usize, Vec<crate::eval::ResourceItem>)>,
    answers: Vec<(usize, usize, bool)>,
    /// For the current group of ARNs: (policy, statement position, whether the `Deny`'s
    /// `Resource` takes every one of them).
    denies: Vec<(usize, usize, bool)>,
}

/// A `Resource` item with each policy variable replaced: by `*` when variables take any value
/// (`free`), else by the caller's own value ([`CALLER`]). `${*}`, `${?}` and `${$}` stand for
/// their character (as a pattern: at least as wide).
fn read_variables(item: &str, free: bool) -> String {
    let mut out = String::with_capacity(item.len());
    let mut at = 0;
    for v in crate::lint::util::variables(item) {
        out.push_str(&item[at..v.start]);
        match v.key() {
            c @ ("*" | "?" | "$") => out.push_str(c),
            _ if free => out.push('*'),
            // a key the request carries (`aws:UserAgent`, `aws:SourceIp`) is the caller's to
            // choose, not its identity
            k if !identity_variable(k) => out.push('*'),
            _ => out.push_str(CALLER),
        }
        at = v.end;
    }
    out.push_str(&item[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The groups of [`group`] on [`effective`] for the risk categories' question, as
    /// (statement, span, via, actions).
    fn through_effective(
        policy: &Policy,
        actions: &[u32],
    ) -> Vec<(usize, crate::source::Span, String, Vec<String>)> {
        let policies = [policy];
        let hits = effective(
            &policies,
            PolicyType::Identity,
            &Ask {
                actions: actions
                    .iter()
                    .map(|&a| crate::lint::action_index::name(a).to_string())
                    .collect(),
                scope: Scope::NotNamed,
                fixed: Vec::new(),
                max_analysed: Some(CATEGORY_MAX_ANALYSED),
                free_variables: false,
            },
        );
        group(&policies, &hits)
            .iter()
            .map(|g| {
                let actions = g.hits.iter().map(|h| h.action.clone()).collect();
                (g.statement, g.span, g.via.clone(), actions)
            })
            .collect()
    }

    /// [`item_covers`] is the evaluator's [`resource_item_matches`], literal items included.
    #[test]
    fn item_covers_is_resource_item_matches() {
        let arns = [
            "arn:aws:s3:::greenlight-unnamed",
            "arn:aws:iam::999988887777:role/greenlight-unnamed",
            "arn:aws:s3:::b/k:with:colons",
            "arn:aws:s3::b",
            "not-an-arn",
        ];
        let items = [
            "*",
            "arn:aws:s3:::greenlight-unnamed",
            "arn:aws:s3:::greenlight-unnamed/",
            "arn:aws:s3:::*",
            "arn:aws:iam::999988887777:role/greenlight-unnamed",
            "arn:aws:iam::999988887777:role/*",
            "arn:aws:iam::*:role/greenlight-?nnamed",
            "arn:aws:s3:::b/k:with:colons",
            "arn:aws:s3::b",
            "arn:aws:s3:::${aws:username}",
            "arn:AWS:s3:::greenlight-unnamed",
            "arn:aws:s3:::Greenlight-unnamed",
            "not-an-arn",
            "",
        ];
        for arn in arns {
            for item in items {
                assert_eq!(
                    item_covers(item, arn),
                    item == "*" || resource_item_matches(item, arn),
                    "{item} {arn}"
                );
            }
        }
    }

    /// [`resource_glob`] is the evaluator's [`resource_item_matches`] on items of every shape.
    #[test]
    fn resource_glob_is_resource_item_matches() {
        let arns = [
            "arn:aws:s3:::greenlight-unnamed",
            "arn:aws:s3:::b/k:with:colons",
            "arn:aws:iam::999988887777:role/greenlight-unnamed",
            "arn:aws:ec2:us-east-1:999988887777:instance/i-x",
            "arn:aws:logs:eu-central-1:355954871714:log-group:/ecs/x:*",
            "arn:aws:s3:::bé/ké",
            "arn:aws:s3:::",
            "arn:aws:s3::b",
            "arn:aws:s3",
            "not-an-arn",
            "",
        ];
        let items = [
            "*",
            "**",
            "*:*",
            "arn:*",
            "arn:aws:*",
            "arn:aws:s3:*",
            "arn:aws:s3:::*",
            "arn:aws:s3:::**",
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b?/k?",
            "arn:aws:s3:::b*/*é",
            "arn:aws:s3:::b/k:*",
            "arn:aws:s3:::b/k:with:*",
            "arn:aws:s3:::*:colons",
            "arn:aws:s3:::*/k:*:colons",
            "arn:aws:s3:::?",
            "arn:aws:s3:::",
            "arn:aws:s3:::*a*b*",
            "arn:aws:s3::*",
            "arn:aws:s3:*:",
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::*:role/greenlight-?nnamed",
            "arn:aws:iam::9999*:*",
            "arn:aws:*:*:*:*",
            "arn:aws:logs:*:*:log-group:*",
            "arn:aws:logs:eu-*:355954871714:log-group:/ecs/*:*",
            "arn:aws:ec2:us-east-?:*:instance/*",
            "arn:AWS:s3:::*",
            "arn:aws:s3:::${aws:username}/*",
            "arn:aws:s3:::$*",
            "arn:*:*",
            "a*",
            "*a",
            "",
        ];
        for arn in arns {
            for item in items {
                assert_eq!(
                    resource_glob(item, arn),
                    item == "*" || resource_item_matches(item, arn),
                    "{item} {arn}"
                );
            }
        }
    }

    /// Whenever [`cheap_unnamed_groups`] answers, it gives the groups of the effective-access
    /// question, in the same order: plain, conditional and `Deny` statements, `NotAction`,
    /// policy variables, a pattern listed after a wider one.
    #[test]
    fn cheap_unnamed_groups_are_the_groups_of_effective() {
        let statements = [
            r#"{"Effect": "Allow", "Action": ["s3:Put*", "s3:PutObject", "s3:DeleteBucket"], "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::*"}"#,
            r#"{"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::123456789012:role/x"}"#,
            r#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}"#,
            r#"{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "arn:aws:ec2:*:*:instance/*"}"#,
            r#"{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}"#,
            r#"{"Effect": "Deny", "Action": "sqs:*", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "NotAction": ["iam:*", "s3:*"], "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}"#,
            r#"{"Effect": "Allow", "Action": "iam:CreateRole", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}, "StringLike": {"aws:RequestedRegion": "us-*"}}}"#,
            // past the analysis budget: the wording, after a conditional or partial `Deny`
            r#"{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}"#,
            r#"{"Effect": "Allow", "Action": ["ec2:*", "s3:*"], "Resource": "*"}"#,
            r#"{"Effect": "Deny", "Action": "ec2:*", "NotResource": "arn:aws:ec2:*:*:instance/*"}"#,
            r#"{"Effect": "Deny", "Action": ["s3:*", "ec2:*"], "Resource": "arn:aws:s3:::*"}"#,
            r#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "arn:aws:ec2:*:*:instance/${aws:username}", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"#,
        ];
        let actions: Vec<u32> =
            crate::lint::categories::of_level(crate::catalog::AccessLevel::Write)
                .iter()
                .copied()
                .filter(|&a| {
                    ["s3:", "iam:", "ec2:", "sqs:"]
                        .iter()
                        .any(|s| crate::lint::action_index::name(a).starts_with(s))
                })
                .collect();
        assert!(actions.len() > 100, "{}", actions.len());
        let mut answered = 0;
        let mut answered_with_deny = 0;
        // every pair of statements, in both orders, and each alone
        for (i, a) in statements.iter().enumerate() {
            for (j, b) in statements.iter().enumerate() {
                let body = if i == j {
                    a.to_string()
                } else {
                    format!("{a}, {b}")
                };
                let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{body}]}}"#);
                let source = crate::source::Source::new("p.json", text.as_str());
                let policy = crate::parse::parse_policy(&source).unwrap();
                let Some(cheap) =
                    cheap_unnamed_groups(&policy, PolicyType::Identity, &actions, &[])
                else {
                    continue;
                };
                answered += 1;
                if text.contains("Deny") {
                    answered_with_deny += 1;
                }
                let cheap: Vec<(usize, crate::source::Span, String, Vec<String>)> = cheap
                    .iter()
                    .map(|g| {
                        let actions = g
                            .actions
                            .iter()
                            .map(|&a| crate::lint::action_index::name(a).to_string())
                            .collect();
                        (g.statement, g.span, g.via.to_string(), actions)
                    })
                    .collect();
                assert_eq!(cheap, through_effective(&policy, &actions), "{text}");
            }
        }
        // most policies take the cheap route, those with a `Deny` on many granted actions
        // too (the wording past the budget); those with a `Deny` on a few, or a condition
        // `conditional` cannot decide alone, do not
        assert!((150..225).contains(&answered), "{answered}");
        assert!(answered_with_deny > 40, "{answered_with_deny}");
    }
}
