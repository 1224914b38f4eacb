//! Trust-policy verdicts beyond "may the service assume the role": is the role open to callers
//! outside named accounts ([`open_statements`]), does a statement protect against the confused
//! deputy ([`confused_deputy_warnings`]), which other principals it names
//! ([`other_principal_warnings`]).
//!
//! Every verdict is reached by evaluating the trust policy (or one statement of it) with the
//! engine for chosen callers and request contexts, not by reading the policy's shape. Issue 11
//! replaces [`open_statements`] with a full analysis; keep its signature.

use std::collections::BTreeMap;

use super::{CheckError, Decision, MatchedStatement, TrustWarning, engine};
use crate::eval::{AwsPrincipal, AwsPrincipalKind, Principal};
use crate::model::{Effect, Policy, PrincipalBlock, PrincipalKind, PrincipalValue, Statement};

/// The actions that assume a role (STS API reference: `AssumeRole`,
/// `AssumeRoleWithWebIdentity`, `AssumeRoleWithSAML`).
pub const ASSUME_ACTIONS: [&str; 3] = [
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
];

/// What a pin key holds, to build an outsider's value for it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PinKind {
    Account,
    Org,
    OrgPath,
    Arn,
    /// A web-identity key naming the app or user (`sub`, `aud`, Facebook's `app_id`, ...):
    /// opaque text whose tenant part ([`crate::analysis::verify::tenant_part`]: up to the
    /// first `/` for most, `organization:NAME` for HCP Terraform) names the owner
    /// (`repo:octo-org/...`, an identity pool ID).
    Subject,
    /// `aws:PrincipalServiceName`: absent for every outsider.
    ServiceName,
    /// A key the caller's web-identity provider never sends (`graph.facebook.com:aud`):
    /// absent.
    NotSent,
}

/// Condition keys whose value names the caller's account, organization or identity (IAM
/// global condition keys): a condition on one of them with concrete values confines the caller
/// to named accounts or organizations. `aws:SourceAccount` / `aws:SourceArn` (and the source
/// organization keys) are set only by AWS services acting for a resource, so they confine
/// service callers; an IAM caller never carries them.
///
/// For a web-identity caller (`{"Federated": "cognito-identity.amazonaws.com"}` or an OIDC
/// provider), the provider's keys that name the identity pool, application or subject pin
/// (`sub`, `aud`; Facebook's and Login with Amazon's `app_id`, `id`, `user_id`; IAM web identity
/// condition keys,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif);
/// a shared CI provider's `aud` is the tenant's choice (GitHub's is `sts.amazonaws.com` for
/// every repository), so only its `sub` pins; a key the provider never sends is absent
/// ([`crate::analysis::web_identity::claim`], shared with `verify`).
fn pin_kind(key_lower: &str, caller: &Principal) -> Option<PinKind> {
    use crate::analysis::web_identity::{Claim, claim};
    if let Principal::Federated(name) = caller
        && let Some(host) = web_identity_host(name)
        && let Some((k, field)) = key_lower.rsplit_once(':')
        && k == host
    {
        match claim(name, field) {
            Claim::Audience | Claim::Subject => return Some(PinKind::Subject),
            Claim::NotSent => return Some(PinKind::NotSent),
            Claim::Unknown => {}
        }
    }
    // Every caller: a web-identity session has no account or organization, so it carries none
    // of these keys (the absent-key candidate judges that).
    match key_lower {
        "aws:principalaccount" | "aws:sourceaccount" => Some(PinKind::Account),
        "aws:principalorgid" | "aws:sourceorgid" => Some(PinKind::Org),
        "aws:principalorgpaths" | "aws:sourceorgpaths" => Some(PinKind::OrgPath),
        "aws:principalarn" | "aws:sourcearn" => Some(PinKind::Arn),
        // present only when a service principal calls (global condition keys docs): never for
        // an outsider, which is no service
        "aws:principalservicename" | "aws:principalservicenameslist" => Some(PinKind::ServiceName),
        _ => None,
    }
}

/// The key prefix of a web-identity provider (lower case), `None` for SAML providers and
/// everything else (shared with the analysis' public-access check).
fn web_identity_host(name: &str) -> Option<String> {
    crate::analysis::verify::web_identity_host(name)
}

/// A 12-digit account that the policy text does not mention: the outsider's account.
pub(super) fn foreign_account(policy: &Policy) -> String {
    for d in ['9', '8', '7', '6', '5', '4', '3', '2'] {
        let a: String = std::iter::repeat_n(d, 12).collect();
        if !policy.source.text.contains(&a) {
            return a;
        }
    }
    // Every repeated-digit account appears in the text: count up. The text holds fewer
    // distinct 12-digit runs than it has characters, so this ends.
    let mut n: u64 = 100_000_000_000;
    loop {
        let a = format!("{n:012}");
        if !policy.source.text.contains(&a) {
            return a;
        }
        n += 1;
    }
}

/// The policy with only statement `index`, keeping only the conditions on keys accepted by
/// `keep` (lower-case key names).
fn one_statement(policy: &Policy, index: usize, keep: impl Fn(&str) -> bool) -> Option<Policy> {
    let mut st: Statement = policy.statements.get(index)?.clone();
    st.conditions.retain(|c| keep(&c.key_lower));
    // Built field by field: cloning the policy would copy every statement (quadratic work on
    // a long policy).
    Some(Policy {
        source: policy.source.clone(),
        version: policy.version.clone(),
        id: policy.id.clone(),
        statements: vec![st],
        statement_is_object: policy.statement_is_object,
        statement_key_span: policy.statement_key_span,
        span: policy.span,
        json_size: None,
    })
}

fn decide(
    policy: &Policy,
    caller: &Principal,
    action: &str,
    role: &str,
    context: &BTreeMap<String, Vec<String>>,
) -> Result<Decision, CheckError> {
    Ok(engine::evaluate_trust_as(policy, caller.clone(), action, role, context)?.decision)
}

/// An outsider's value for a pin key written as `pattern` in the policy: each `*` and `?` of
/// the pattern is filled so that the account (or organization) part becomes the outsider's,
/// and the value still matches the pattern. `None` when the pattern's account part has no
/// wildcard: any value it matches lies in the named account, so it is no outsider's value.
/// `key_lower`: the key (for a web-identity key, its provider decides the tenant part).
fn witness(kind: PinKind, key_lower: &str, pattern: &str, foreign: &str) -> Option<String> {
    let fill = |s: &str, star: &str| s.replace('*', star).replace('?', "9");
    match kind {
        PinKind::ServiceName | PinKind::NotSent => None,
        PinKind::Account | PinKind::Org | PinKind::OrgPath => {
            pattern.contains(['*', '?']).then(|| fill(pattern, foreign))
        }
        PinKind::Subject => {
            let host = key_lower.rsplit_once(':').map_or("", |(h, _)| h);
            let owner = crate::analysis::verify::tenant_part(host, pattern);
            owner
                .contains(['*', '?'])
                .then(|| fill(pattern, &format!("outsider{foreign}")))
        }
        PinKind::Arn => {
            // arn:partition:service:region:account:resource; a trailing `*` of a shorter ARN
            // stands for the fields after it.
            let fields: Vec<&str> = pattern.splitn(6, ':').collect();
            let account_wild = match fields.get(4) {
                Some(a) => {
                    a.contains(['*', '?'])
                        || (a.is_empty() && fields.len() == 6 && fields[5].contains(['*', '?']))
                }
                None => fields.last().is_some_and(|f| f.ends_with('*')),
            };
            if !account_wild {
                return None;
            }
            let mut out: Vec<String> = Vec::with_capacity(6);
            for i in 0..6 {
                let f = match fields.get(i) {
                    Some(f) if i == 4 && f.is_empty() => String::new(),
                    Some(f) if i == 4 => fill(f, foreign),
                    Some(f) => fill(f, "x"),
                    None if i == 4 => foreign.to_string(),
                    None => "x".to_string(),
                };
                out.push(f);
            }
            if fields.len() == 6 && fields[4].is_empty() {
                // No account field (S3): the resource part carries the wildcard.
                out[5] = fill(fields[5], &format!("outsider-{foreign}"));
            }
            Some(out.join(":"))
        }
    }
}

/// Every value an outsider can give a pin key: none at all (a caller that is not an AWS
/// service carries no `aws:Source*` key; a caller outside an organization carries no
/// `aws:PrincipalOrgID`), a fresh value of its own account or organization, and, for each
/// wildcard pattern the statement writes for the key, a value of the outsider's account that
/// the pattern matches. Only the statement's own conditions are judged with these values, so
/// its own patterns are the only ones that matter (and the work stays linear in the policy).
///
/// Why these suffice: a condition block on a key compares the key's value with the policy's
/// values. A fresh value equals none of them and matches no pattern whose account part is
/// concrete, so it decides every negated, `Null`, `...IfExists` and set-qualified block the way
/// any other unlisted value would; the absent key decides every block the way any caller
/// without the key would; and a positive block (`StringEquals`, `StringLike`, `ArnLike`, ...)
/// is met by an outsider only through a pattern whose account part has a wildcard, whose
/// witness is in the list.
fn candidates(
    st: &Statement,
    key_lower: &str,
    kind: PinKind,
    foreign: &str,
    partition: &str,
) -> Vec<Option<Vec<String>>> {
    let fresh = match kind {
        PinKind::ServiceName | PinKind::NotSent => return vec![None],
        PinKind::Account => foreign.to_string(),
        PinKind::Org => "o-outsider0000".to_string(),
        PinKind::OrgPath => "o-outsider0000/r-out0/ou-out0-outsider/".to_string(),
        PinKind::Arn => format!("arn:{partition}:iam::{foreign}:role/greenlight-outsider"),
        PinKind::Subject => format!("outsider{foreign}"),
    };
    // A web-identity request always carries the keys that name its app and user.
    let mut out = if kind == PinKind::Subject {
        vec![Some(vec![fresh])]
    } else {
        vec![None, Some(vec![fresh])]
    };
    for c in st.conditions.iter().filter(|c| c.key_lower == key_lower) {
        for v in &c.values {
            if let Some(w) = witness(kind, key_lower, &v.text, foreign) {
                let w = Some(vec![w]);
                if !out.contains(&w) {
                    out.push(w);
                }
            }
        }
    }
    out
}

/// The callers that stand for "anyone outside the named accounts": an unauthenticated caller
/// (matched only by `"*"`), a role session of an account the policy does not mention
/// (matched by `"*"`, `{"AWS": "*"}` and `NotPrincipal` lists that do not name it), and any
/// user of each web-identity provider the policy names (anyone can sign in to Amazon Cognito,
/// Google, Facebook, Login with Amazon or an OIDC provider such as GitHub). A principal the
/// policy names otherwise is named, hence not "anyone"; see [`other_principal_warnings`].
fn outsiders(policy: &Policy, foreign: &str, partition: &str) -> Vec<Principal> {
    let mut out = vec![
        Principal::Anonymous,
        Principal::Aws(AwsPrincipal {
            arn: format!("arn:{partition}:sts::{foreign}:assumed-role/greenlight-outsider/probe"),
            partition: partition.to_string(),
            account: foreign.to_string(),
            kind: AwsPrincipalKind::AssumedRole {
                role_name: "greenlight-outsider".into(),
                session: "probe".into(),
            },
        }),
    ];
    for st in &policy.statements {
        let Some(PrincipalBlock {
            value: PrincipalValue::Map(entries),
            negated: false,
            ..
        }) = &st.principal
        else {
            continue;
        };
        for e in entries
            .iter()
            .filter(|e| e.kind == PrincipalKind::Federated)
        {
            for v in &e.values {
                let p = Principal::Federated(v.value.clone());
                if web_identity_host(&v.value).is_some() && !out.contains(&p) {
                    out.push(p);
                }
            }
        }
    }
    out
}

/// One outsider request.
struct Probe<'a> {
    caller: &'a Principal,
    action: &'a str,
    role: &'a str,
    foreign: &'a str,
    partition: &'a str,
}

/// How an outsider fares with one statement's conditions on one pin key: whether some
/// outsider value meets them (Allow) / whether every outsider value meets them (Deny).
fn key_outcome(
    policy: &Policy,
    index: usize,
    key_lower: &str,
    kind: PinKind,
    probe: &Probe<'_>,
) -> Result<(bool, bool), CheckError> {
    let Probe {
        caller,
        action,
        role,
        foreign,
        partition,
    } = *probe;
    let Some(p) = one_statement(policy, index, |k| k == key_lower) else {
        return Ok((false, false));
    };
    let want = match policy.statements[index].effect.value {
        Effect::Allow => Decision::Allowed,
        Effect::Deny => Decision::ExplicitDeny,
    };
    let (mut some, mut all) = (false, true);
    for cand in candidates(
        &policy.statements[index],
        key_lower,
        kind,
        foreign,
        partition,
    ) {
        let mut ctx = BTreeMap::new();
        if let Some(v) = cand {
            ctx.insert(key_lower.to_string(), v);
        }
        // A value the engine cannot read counts against the policy's author: for an Allow as
        // met, for a Deny as not met (fail closed: the role is reported open).
        let met = match decide(&p, caller, action, role, &ctx) {
            Ok(d) => d == want,
            Err(_) => want == Decision::Allowed,
        };
        some |= met;
        all &= met;
    }
    Ok((some, all))
}

/// Statements through which a caller outside the named accounts and organizations can assume
/// the role, each with a sentence saying why; empty when the role is not open.
///
/// For each outsider caller and assume action: an Allow statement lets the outsider in when
/// its principal and action match it and, for every pin key it conditions, some outsider value
/// meets those conditions (conditions on other keys, such as `aws:SourceIp` or
/// `sts:ExternalId`, are values the caller chooses, so they are taken as met). A Deny statement
/// keeps every outsider out when its principal and action match and all its conditions are on
/// pin keys and hold for every outsider value. This over-approximates (an Allow and a Deny are
/// judged separately): it can call a role open that a combination of statements closes, never
/// the reverse.
pub fn open_statements(
    policy: &Policy,
    role: &str,
    partition: &str,
) -> Result<Vec<(usize, String)>, CheckError> {
    let foreign = foreign_account(policy);
    let mut found: Vec<(usize, String)> = Vec::new();
    for caller in outsiders(policy, &foreign, partition) {
        for action in ASSUME_ACTIONS {
            if !crate::analysis::assumers::can_call(action, &caller) {
                continue;
            }
            let probe = Probe {
                caller: &caller,
                action,
                role,
                foreign: &foreign,
                partition,
            };
            let mut allows = Vec::new();
            let mut blocked = false;
            for (i, st) in policy.statements.iter().enumerate() {
                let Some(bare) = one_statement(policy, i, |_| false) else {
                    continue;
                };
                let applies = decide(&bare, &caller, action, role, &BTreeMap::new())?;
                let pins: Vec<(&str, PinKind)> = st
                    .conditions
                    .iter()
                    .filter_map(|c| {
                        pin_kind(&c.key_lower, &caller).map(|k| (c.key_lower.as_str(), k))
                    })
                    .collect();
                match st.effect.value {
                    Effect::Allow if applies == Decision::Allowed => {
                        let mut open = true;
                        for (k, kind) in &pins {
                            let (some, _) = key_outcome(policy, i, k, *kind, &probe)?;
                            open &= some;
                        }
                        if open {
                            allows.push(i);
                        }
                    }
                    Effect::Deny if applies == Decision::ExplicitDeny => {
                        if st.conditions.len() != pins.len() {
                            continue;
                        }
                        let mut always = true;
                        for (k, kind) in &pins {
                            let (_, all) = key_outcome(policy, i, k, *kind, &probe)?;
                            always &= all;
                        }
                        blocked |= always;
                    }
                    _ => {}
                }
            }
            if blocked {
                continue;
            }
            for i in allows {
                if found.iter().any(|(j, _)| *j == i) {
                    continue;
                }
                found.push((i, open_sentence(policy, i, &caller, action)));
            }
        }
    }
    found.sort_by_key(|(i, _)| *i);
    Ok(found)
}

/// Whether the trust policy is open to callers outside the accounts and organizations it
/// names: the statements that open it, each with its sentence (`usize::MAX` for a verdict of
/// no one statement). The statement-by-statement test ([`open_statements`]) is checked by the
/// analysis behind `verify --no-public-access`, which decides on every request; `check` and
/// the scan's fast path both ask here.
pub(super) fn open(
    policy: &Policy,
    role: &str,
    partition: &str,
) -> Result<Vec<(usize, String)>, CheckError> {
    let mut open = open_statements(policy, role, partition)?;
    // The statement-by-statement test above over-approximates what it reads, but a condition
    // it does not read (a policy variable as the value of `aws:PrincipalOrgID`) or a principal
    // it cannot parse (a template's unknown account) it takes as closing the role: the
    // analysis behind `verify --no-public-access` decides on every request (red team 36: a
    // trust policy open to any account had no gap). A role whose openness it cannot decide
    // is a gap too, saying why: a check never guesses "closed".
    // (only where the statement test may be wrong: an `Allow` whose principal is everyone,
    // `NotPrincipal`, a web-identity host or a pattern, or a condition value holding a
    // policy variable or a template placeholder; a policy naming services and literal
    // principals only lets no one else in, as for most roles of an account)
    let needs_analysis = policy.statements.iter().any(|s| {
        let wide = s.effect.value == Effect::Allow
            && s.principal.as_ref().is_some_and(|b| {
                b.negated
                    || match &b.value {
                        PrincipalValue::Map(m) => m.iter().any(|e| {
                            // (an identity provider's ARN, SAML or OIDC, is decided by the
                            // statement test's `sub`/`aud` pins; a web-identity host such as
                            // Cognito's by the analysis, which knows its guest identities)
                            (e.kind == PrincipalKind::Federated
                                && e.values.iter().any(|v| !v.value.starts_with("arn:")))
                                || (e.kind == PrincipalKind::Aws
                                    && e.values.iter().any(|v| {
                                        v.value.contains(['*', '?']) || v.value.contains("UNKNOWN-")
                                    }))
                        }),
                        _ => true,
                    }
            });
        wide || s.conditions.iter().any(|c| {
            c.values
                .iter()
                .any(|v| v.text.contains("${") || v.text.contains("UNKNOWN-"))
        })
    });
    if needs_analysis {
        let outside =
            crate::analysis::query::outside_access(policy, crate::analysis::Kind::Trust, &[]);
        match outside {
            // the exact answer closes what the statement test over-approximates (red team
            // 37: the IAM docs' `aws:PrincipalOrgPaths` pattern, a perimeter `Deny` with
            // `...IfExists` keys: both open by the statement test, both closed on every
            // request)
            Ok(a) if a.holds == Some(true) => open.clear(),
            _ if !open.is_empty() => {}
            Ok(a) if a.holds == Some(false) => {
                for c in &a.counterexamples {
                    let who = c.example.principal.as_deref().unwrap_or("*");
                    for st in &c.statements {
                        if !open.iter().any(|(i, _)| *i == st.index) {
                            open.push((
                                st.index,
                                outside_sentence(policy, st.index, who, &c.example.action),
                            ));
                        }
                    }
                }
                if open.is_empty() {
                    open.push((
                        usize::MAX,
                        "a caller outside every account and organization the policy names can assume the role (decided on every request)".into(),
                    ));
                }
            }
            // the documented same-organization and same-account forms (`aws:PrincipalOrgID`
            // = `${aws:ResourceOrgID}`) are not decided by the analysis, but name the owner's
            // own organization or account: left to the statement test (and the note below)
            _ if owner_variables_only(policy) => {}
            Ok(a) => open.push((
                usize::MAX,
                format!(
                    "whether a caller outside the accounts and organizations the policy names can assume the role cannot be decided: {}",
                    a.reason
                        .or_else(|| a.unknown.first().map(|u| u.reason.clone()))
                        .unwrap_or_else(|| "the analysis did not finish".into())
                ),
            )),
            Err(e) => open.push((
                usize::MAX,
                format!(
                    "whether a caller outside the accounts and organizations the policy names can assume the role cannot be decided: {e}"
                ),
            )),
        }
    }
    Ok(open)
}

/// Whether every policy variable the policy's conditions hold names the resource owner's own
/// account or organization (`${aws:ResourceAccount}`, `${aws:ResourceOrgID}`,
/// `${aws:ResourceOrgPaths}`: the same-account and same-organization forms of the IAM docs,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid>),
/// and there is one.
pub(super) fn owner_variables_only(policy: &Policy) -> bool {
    // (the whole value of a `StringEquals` on the caller's own key: red team 37, a variable
    // inside an ARN pattern, `arn:aws:iam::*:role/${aws:ResourceAccount}-deployer`, names a
    // role any account can create)
    let owner = |key: &str, value: &str, like: bool| {
        let v = value.trim().to_ascii_lowercase();
        match key {
            "aws:principalaccount" => v == "${aws:resourceaccount}",
            "aws:principalorgid" => v == "${aws:resourceorgid}",
            // the organization's paths, or any path under the organization (`o-.../*`)
            "aws:principalorgpaths" => {
                v == "${aws:resourceorgpaths}"
                    || (like && (v == "${aws:resourceorgid}/*" || v == "${aws:resourceorgpaths}*"))
            }
            _ => false,
        }
    };
    let mut any = false;
    for st in &policy.statements {
        for c in &st.conditions {
            for v in &c.values {
                if !v.text.contains("${") {
                    continue;
                }
                let op = c.op.name();
                let op = op.strip_prefix("ForAnyValue:").unwrap_or(&op);
                let like = op == "StringLike";
                if !(op == "StringEquals" || like) || !owner(&c.key_lower, &v.text, like) {
                    return false;
                }
                any = true;
            }
        }
    }
    any
}

/// The sentence of a statement the request-space analysis found open: `who` (a principal
/// outside every account and organization the policy names) may call `action` through it.
pub(super) fn outside_sentence(policy: &Policy, index: usize, who: &str, action: &str) -> String {
    let Some(st) = policy.statements.get(index) else {
        return format!("the trust policy is open: `{who}` can call `{action}` on the role");
    };
    let line = policy.source.line_col(st.span.start).line;
    let label = statement_label(policy, index);
    format!(
        "the trust policy is open: statement {label} (line {line}) lets `{who}`, outside every account and organization the policy names, call `{action}` on the role (decided on every request and context: the conditions do not pin the caller to concrete accounts or organizations)"
    )
}

fn open_sentence(policy: &Policy, index: usize, caller: &Principal, action: &str) -> String {
    let st = &policy.statements[index];
    let line = policy.source.line_col(st.span.start).line;
    let label = statement_label(policy, index);
    if let Principal::Federated(name) = caller {
        let host = web_identity_host(name).unwrap_or_default();
        let keys = crate::analysis::web_identity::bounding_fields(name)
            .iter()
            .map(|f| format!("`{host}:{f}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        return format!(
            "the trust policy is open: `{{\"Federated\": \"{name}\"}}` (statement {label}, line {line}) lets any user of that identity provider call `{action}` on the role, because no condition on {keys} pins the caller to your own identity pool, application or subject with concrete values"
        );
    }
    let who = match &st.principal {
        Some(b) if b.negated => "`NotPrincipal` lets every principal it does not list",
        Some(b) if matches!(b.value, PrincipalValue::Star) => "`\"Principal\": \"*\"` lets anyone",
        _ => "`{\"AWS\": \"*\"}` lets anyone",
    };
    let caller = match caller {
        Principal::Anonymous => "an unauthenticated caller",
        _ => "a principal of any other account",
    };
    format!(
        "the trust policy is open: {who} (statement {label}, line {line}) call `{action}` on the role, {caller} included, because no condition pins the caller to named accounts or organizations (`aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:PrincipalArn`, or `aws:SourceAccount`/`aws:SourceArn` for services, with concrete values)"
    )
}

fn statement_label(policy: &Policy, index: usize) -> String {
    match policy.statements[index]
        .sid
        .as_ref()
        .map(|s| s.value.as_str())
    {
        Some(s) if !s.is_empty() => format!("`{s}`"),
        _ => format!("#{}", index + 1),
    }
}

/// The statement as reports show it.
pub(super) fn matched(policy: &Policy, index: usize) -> Option<MatchedStatement> {
    let st = policy.statements.get(index)?;
    let lc = policy.source.line_col(st.span.start);
    Some(MatchedStatement {
        policy: policy.source.name.to_string(),
        sid: st.sid.as_ref().map(|s| s.value.clone()),
        index,
        line: lc.line,
        column: lc.column,
        effect: st.effect.value,
        policy_type: crate::eval::PolicyType::RoleTrust,
        span: st.span,
        effect_span: st.effect.span,
        source: policy.source.clone(),
    })
}

/// The request context with the service acting for another account: `aws:SourceAccount` set
/// to `foreign`, and the account field of `aws:SourceArn` replaced by it.
fn foreign_context(
    context: &BTreeMap<String, Vec<String>>,
    foreign: &str,
) -> BTreeMap<String, Vec<String>> {
    let mut out = context.clone();
    for (k, vs) in out.iter_mut() {
        if k.eq_ignore_ascii_case("aws:SourceAccount") {
            *vs = vec![foreign.to_string()];
        } else if k.eq_ignore_ascii_case("aws:SourceArn") {
            *vs = vs
                .iter()
                .map(|v| {
                    let mut f: Vec<&str> = v.splitn(6, ':').collect();
                    if f.len() == 6 && !f[4].is_empty() {
                        f[4] = foreign;
                    }
                    f.join(":")
                })
                .collect();
        }
    }
    out
}

/// Allow statements that let the service assume the role when it acts for another account
/// (the confused-deputy problem): the trust policy is evaluated with the service's request
/// context moved to an account the policy does not mention. A statement without an
/// `aws:SourceAccount`/`aws:SourceArn` condition, or with one that any account meets
/// (`StringLike "*"`, `Null "false"`, `...IfExists`), lets it in; one that names the account
/// or the resource does not.
pub fn confused_deputy_warnings(
    policy: &Policy,
    service: &str,
    action: &str,
    role: &str,
    context: &BTreeMap<String, Vec<String>>,
) -> Result<Vec<TrustWarning>, CheckError> {
    let foreign = foreign_account(policy);
    let ctx = foreign_context(context, &foreign);
    let out = engine::evaluate_trust_as(
        policy,
        Principal::Service(service.to_string()),
        action,
        role,
        &ctx,
    )?;
    if out.decision != Decision::Allowed {
        return Ok(Vec::new());
    }
    Ok(out
        .matched
        .into_iter()
        .filter(|m| m.effect == Effect::Allow)
        .map(|m| TrustWarning {
            code: "trust-without-source-condition",
            message: format!(
                "the trust policy lets `{service}` assume the role without an `aws:SourceAccount` or `aws:SourceArn` condition (confused deputy)"
            ),
            statement: m,
        })
        .collect())
}

/// Principals other than the service that a statement names and lets assume the role (another
/// account, a user or role, another service, an identity provider). Named principals are
/// confined to what they name, so they are warnings, not gaps; the role is *open* only when
/// callers outside named accounts get in ([`open_statements`]).
pub fn other_principal_warnings(
    policy: &Policy,
    services: &[String],
    role: &str,
) -> Result<Vec<TrustWarning>, CheckError> {
    let mut out = Vec::new();
    for (i, st) in policy.statements.iter().enumerate() {
        if st.effect.value != Effect::Allow {
            continue;
        }
        let Some(block) = &st.principal else {
            continue;
        };
        if block.negated {
            continue;
        }
        let PrincipalValue::Map(entries) = &block.value else {
            continue;
        };
        let Some(bare) = one_statement(policy, i, |_| false) else {
            continue;
        };
        for e in entries {
            for v in &e.values {
                let name = v.value.as_str();
                let caller = match e.kind {
                    PrincipalKind::Service => {
                        if services
                            .iter()
                            .any(|s| s == name || regional_form_of(name, s))
                        {
                            continue;
                        }
                        Principal::Service(name.to_string())
                    }
                    PrincipalKind::Federated => Principal::Federated(name.to_string()),
                    PrincipalKind::CanonicalUser => continue,
                    PrincipalKind::Aws => {
                        if name == "*" {
                            continue;
                        }
                        match Principal::parse(name) {
                            Ok(p) => p,
                            // A unique ID of a deleted principal: it names no one who can call.
                            Err(_) => continue,
                        }
                    }
                };
                let mut lets_in = false;
                for action in ASSUME_ACTIONS {
                    if !crate::analysis::assumers::can_call(action, &caller) {
                        continue;
                    }
                    lets_in |= decide(&bare, &caller, action, role, &BTreeMap::new())?
                        == Decision::Allowed;
                }
                if lets_in && let Some(m) = matched(policy, i) {
                    out.push(TrustWarning {
                        code: "trust-other-principal",
                        message: format!(
                            "the trust policy also lets {} `{name}` assume the role, which the profile does not need",
                            e.kind.as_str()
                        ),
                        statement: m,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// The Regional principals of a service are the service
/// ([`crate::analysis::assumers::regional_form_of`]).
fn regional_form_of(name: &str, service: &str) -> bool {
    crate::analysis::assumers::regional_form_of(name, service)
}

#[cfg(test)]
mod tests {
    #[test]
    fn regional_principals_of_the_same_service() {
        // https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html
        assert!(super::regional_form_of(
            "codedeploy.us-west-2.amazonaws.com",
            "codedeploy.amazonaws.com"
        ));
        assert!(super::regional_form_of(
            "codedeploy.ap-southeast-4.amazonaws.com",
            "codedeploy.amazonaws.com"
        ));
        assert!(!super::regional_form_of(
            "codedeploy.amazonaws.com.evil",
            "codedeploy.amazonaws.com"
        ));
        assert!(!super::regional_form_of(
            "ecs.us-west-2.amazonaws.com",
            "codedeploy.amazonaws.com"
        ));
        assert!(!super::regional_form_of(
            "codedeploy.x.amazonaws.com",
            "codedeploy.amazonaws.com"
        ));
    }

    use super::*;

    // Wildcards in condition values: `*` any run of characters, `?` one character
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String).
    #[test]
    fn witnesses_are_outsider_values_the_pattern_matches() {
        let f = "999999999999";
        assert_eq!(
            witness(PinKind::Account, "aws:principalaccount", "*", f).as_deref(),
            Some(f)
        );
        assert_eq!(
            witness(PinKind::Account, "aws:principalaccount", "1234*", f).as_deref(),
            Some("1234999999999999")
        );
        assert_eq!(
            witness(PinKind::Account, "aws:principalaccount", "123456789012", f),
            None
        );
        assert_eq!(
            witness(
                PinKind::Arn,
                "aws:principalarn",
                "arn:aws:iam::*:role/deploy",
                f
            )
            .as_deref(),
            Some("arn:aws:iam::999999999999:role/deploy")
        );
        // The account is named: every value the pattern matches is in that account.
        assert_eq!(
            witness(
                PinKind::Arn,
                "aws:principalarn",
                "arn:aws:iam::123456789012:role/*",
                f
            ),
            None
        );
        // A shorter ARN whose trailing `*` stands for the rest.
        assert_eq!(
            witness(PinKind::Arn, "aws:principalarn", "arn:aws:*", f).as_deref(),
            Some("arn:aws:x:x:999999999999:x")
        );
        // GitHub subjects: the owner is the part before the first `/`.
        assert_eq!(
            witness(
                PinKind::Subject,
                "token.actions.githubusercontent.com:sub",
                "repo:octo-org/*",
                f
            ),
            None
        );
        assert!(
            witness(
                PinKind::Subject,
                "token.actions.githubusercontent.com:sub",
                "repo:*",
                f
            )
            .is_some()
        );
        // HCP Terraform subjects: the organization is the part up to the second `:`, as
        // `verify` reads it.
        let tfc = "app.terraform.io:sub";
        assert_eq!(
            witness(PinKind::Subject, tfc, "organization:my-org:project:*", f),
            None
        );
        assert!(witness(PinKind::Subject, tfc, "organization:*", f).is_some());
    }

    #[test]
    fn the_foreign_account_is_not_in_the_policy() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"sts:AssumeRole"}]}"#;
        let p = crate::parse::parse_policy(&crate::source::Source::new("t.json", text)).unwrap();
        assert_eq!(foreign_account(&p), "888888888888");
    }
}
