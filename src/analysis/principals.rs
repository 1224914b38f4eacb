//! The principal classes of resource and trust policies.
//!
//! The evaluator matches a principal by: `*`; the account (and partition) of an IAM caller;
//! an exact IAM ARN; a role ARN, which also matches the role's sessions by account, partition
//! and role name; a service, federated provider or canonical user by exact name
//! (`src/eval/principal.rs`). So one caller per combination of those facts is enough: every
//! principal the policies name, a root, a user, a role and a session of every account they
//! name, a session of every role they name, the same for one account none of them names,
//! one service none names, and an anonymous caller. (Condition keys tell more kinds apart:
//! `verify`'s outside callers add a federated user of each outside account, and give each
//! caller the `aws:userid` of its kind, `src/analysis/verify.rs`.)

use std::collections::BTreeSet;

use crate::eval::Principal;
use crate::model::{OpBase, Policy, PrincipalKind, PrincipalValue};

/// An account no policy names (chosen among these).
const FOREIGN: [&str; 3] = ["210987654321", "987654321098", "456789012345"];

/// The accounts the policies name, and the principal candidates.
pub struct Principals {
    pub candidates: Vec<Principal>,
    /// An account none of the policies names.
    pub foreign: String,
    /// A second account none names (the resource owner of the analysis frame).
    pub owner: String,
    /// Accounts no fixed value names: `foreign`, and the accounts made up to match a
    /// wildcard pattern of a condition on the caller (`aws:PrincipalAccount` `11112222333?`,
    /// `aws:PrincipalArn` `arn:aws:iam::*:role/admin`). A caller of one of these is anyone.
    pub unnamed: BTreeSet<String>,
    /// AWS principals the policies name that are not read as a principal (a template's
    /// placeholder account, `arn:aws:iam::UNKNOWN-...:role/x`): who they stand for is not
    /// known, so an answer about callers other than the named ones is not decided.
    pub unread: Vec<String>,
}

/// Condition keys whose values are the caller's account or ARN (global condition keys:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>;
/// `kms:CallerAccount`: <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account>).
const CALLER_ACCOUNT_KEYS: &[&str] = &["aws:principalaccount", "kms:calleraccount"];
const CALLER_ARN_KEYS: &[&str] = &["aws:principalarn"];

/// Whether an operator reads `*` and `?` as wildcards.
pub(crate) fn wildcards(op: crate::model::OpBase) -> bool {
    use crate::model::OpBase::*;
    matches!(
        op,
        StringLike | StringNotLike | ArnEquals | ArnLike | ArnNotEquals | ArnNotLike
    )
}

/// A 12-digit account that the pattern (`*`/`?` wildcards) matches and `taken` does not hold.
fn fill_account(pattern: &str, taken: &dyn Fn(&str) -> bool) -> Option<String> {
    let fixed = pattern.chars().filter(|c| *c != '*').count();
    if fixed > 12 {
        return None;
    }
    let stars = pattern.matches('*').count();
    for d in ['9', '8', '7', '3', '5'] {
        let mut pad = 12 - fixed;
        let mut out = String::new();
        let mut left = stars;
        for c in pattern.chars() {
            match c {
                '*' => {
                    // the first star takes the padding, the others nothing
                    let n = if left == stars { pad } else { 0 };
                    out.extend(std::iter::repeat_n(d, n));
                    pad -= n;
                    left -= 1;
                }
                '?' => out.push(d),
                c => out.push(c),
            }
        }
        if pad == 0 && out.len() == 12 && out.bytes().all(|b| b.is_ascii_digit()) && !taken(&out) {
            return Some(out);
        }
    }
    None
}

/// Callers of accounts no fixed value names that a caller-ARN pattern of fewer than six
/// `:`-fields may match (a `StringLike` `*` spans colons): the root of an account that
/// extends the pattern's literal account digits (else `foreign`), whose root, user, role and
/// session [`candidates`] then adds, and the principal the pattern's tail names, wildcards
/// filled: `role/admin` as written, or a role and a user named by the text after the last `:`
/// (`*admin*`, `*/admin`). The evaluator decides which match.
fn short_pattern_callers(t: &str, foreign: &str, taken: &dyn Fn(&str) -> bool) -> Vec<String> {
    let first = t.find(['*', '?']).unwrap_or(t.len());
    let lit: Vec<&str> = t[..first].split(':').collect();
    let partition = match lit.get(1) {
        Some(p) if lit.len() > 2 && !p.is_empty() => (*p).to_string(),
        _ => "aws".to_string(),
    };
    let account = match lit.as_slice() {
        ["arn", _, _, _, digits]
            if digits.len() < 12 && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            fill_account(&format!("{digits}*"), taken).unwrap_or_else(|| foreign.to_string())
        }
        _ => foreign.to_string(),
    };
    let fill = |x: &str| x.replace('*', "greenlight-example").replace('?', "x");
    let mut out = vec![format!("arn:{partition}:iam::{account}:root")];
    let kinds = [
        ("assumed-role/", "sts"),
        ("federated-user/", "sts"),
        ("role/", "iam"),
        ("user/", "iam"),
    ];
    match kinds.iter().find_map(|(k, svc)| Some((t.find(k)?, svc))) {
        Some((i, svc)) => out.push(format!(
            "arn:{partition}:{svc}::{account}:{}",
            fill(&t[i..])
        )),
        None => {
            let tail = t.rsplit(':').next().unwrap_or(t);
            let name = fill(tail.trim_start_matches('/'));
            for kind in ["role", "user"] {
                out.push(format!("arn:{partition}:iam::{account}:{kind}/{name}"));
            }
        }
    }
    out
}

/// Callers of account `account` whose ARN a `StringLike` caller-ARN pattern matches although
/// the pattern names another account: `StringLike` reads `*` and `?` over colons, and an IAM
/// role's or user's path may hold any character from `!` to `~`, colons included
/// (<https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>), so
/// `arn:*:iam::111122223333:*` matches `arn:aws:iam::444455556666:role/p:iam::111122223333:/x`
/// and `arn:aws:iam::*111122223333:role/admin` matches
/// `arn:aws:iam::444455556666:role/111122223333:role/admin`. A shortest string of the pattern's
/// language and of a role's (then a user's) ARNs of `account` ([`super::automaton::meet`]),
/// kept when its path and name are valid; the evaluator decides the rest.
fn spanning_callers(t: &str, account: &str) -> Vec<String> {
    use super::automaton::{Pattern, meet};
    // (a pattern whose text before its first wildcard holds five colons fixes the first five
    // fields of every ARN it matches, the account among them: nothing to meet; the common
    // `arn:aws:iam::111122223333:role/*` stops here)
    let first = t.find(['*', '?']).unwrap_or(t.len());
    if t[..first].matches(':').count() >= 5 {
        return Vec::new();
    }
    let pattern = Pattern::string(t, true, false);
    let name_ok = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
    let mut out = Vec::new();
    for kind in ["role", "user"] {
        'found: for partition in ["aws", "aws-cn", "aws-us-gov"] {
            // (a name after the path the pattern leaves open, else the pattern's own ending)
            for tail in ["*", "*/x"] {
                let head = format!("arn:{partition}:iam::{account}:{kind}/");
                let Some(universe) = Pattern::arn(&format!("{head}{tail}")) else {
                    continue;
                };
                let Some(arn) = meet(&pattern, &universe) else {
                    continue;
                };
                let Some(rest) = arn.strip_prefix(&head[..head.len() - 1]) else {
                    continue;
                };
                let Some(cut) = rest.rfind('/') else { continue };
                let (path, name) = (&rest[..=cut], &rest[cut + 1..]);
                if !name.is_empty()
                    && name.len() <= 64
                    && name.chars().all(name_ok)
                    && path.chars().all(|c| ('!'..='~').contains(&c))
                {
                    out.push(arn);
                    break 'found;
                }
            }
        }
    }
    out
}

fn account_of(s: &str) -> Option<(String, String)> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(("aws".into(), s.to_string()));
    }
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.len() == 6 && parts[0] == "arn" && parts[4].len() == 12 {
        return Some((parts[1].to_string(), parts[4].to_string()));
    }
    None
}

/// The services a condition admits: `Principal "*"` covers service principals, and
/// `aws:PrincipalServiceName` / `aws:PrincipalServiceNamesList` carry the calling service
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicename>):
/// each fixed value, and one made-up service per pattern.
pub(crate) fn condition_services(policies: &[&Policy]) -> BTreeSet<String> {
    let mut services: BTreeSet<String> = BTreeSet::new();
    for p in policies {
        for st in &p.statements {
            for c in st.conditions.iter().filter(|c| {
                c.key_lower == "aws:principalservicename"
                    || c.key_lower == "aws:principalservicenameslist"
            }) {
                let wild = wildcards(c.op.base);
                for v in c.values.iter().filter(|v| !v.text.contains("${")) {
                    let t = v.text.as_str();
                    if wild && t.contains(['*', '?']) {
                        services.insert(t.replace('*', "greenlight-example").replace('?', "x"));
                    } else {
                        services.insert(t.to_string());
                    }
                }
            }
        }
    }
    services
}

/// Collects every principal named by the policies (and the accounts in any ARN or account
/// ID of their condition values, so that the foreign account is really unnamed).
pub fn candidates(policies: &[&Policy]) -> Principals {
    let mut named: BTreeSet<String> = BTreeSet::new();
    let mut services: BTreeSet<String> = BTreeSet::new();
    let mut federated: BTreeSet<String> = BTreeSet::new();
    let mut canonical: BTreeSet<String> = BTreeSet::new();
    let mut accounts: BTreeSet<(String, String)> = BTreeSet::new();
    let mut text_accounts: BTreeSet<String> = BTreeSet::new();
    for p in policies {
        // any 12-digit run anywhere in the document counts as named (the document's own
        // text: a policy read from an authorization-details file shares that whole file as
        // its source, and scanning all of it for each policy made `lint` of a 24 MB file take
        // 13 s)
        let text = p.source.text.as_ref();
        let own = text
            .get(p.span.start as usize..p.span.end as usize)
            .filter(|t| !t.is_empty())
            .unwrap_or(text);
        for w in own
            .split(|c: char| !c.is_ascii_digit())
            .filter(|w| w.len() == 12)
        {
            text_accounts.insert(w.to_string());
        }
        for s in &p.statements {
            let Some(block) = &s.principal else { continue };
            let PrincipalValue::Map(entries) = &block.value else {
                continue;
            };
            for e in entries {
                for v in &e.values {
                    let t = v.value.clone();
                    match e.kind {
                        PrincipalKind::Aws if t == "*" => {}
                        PrincipalKind::Aws => {
                            if let Some(a) = account_of(&t) {
                                accounts.insert(a);
                            }
                            named.insert(t);
                        }
                        PrincipalKind::Service => {
                            services.insert(t);
                        }
                        PrincipalKind::Federated => {
                            federated.insert(t);
                        }
                        PrincipalKind::CanonicalUser => {
                            canonical.insert(t);
                        }
                    }
                }
            }
        }
    }
    let mut free = FOREIGN
        .iter()
        .filter(|a| !text_accounts.contains(**a) && !accounts.iter().any(|(_, b)| b == *a));
    let foreign = free.next().copied().unwrap_or("210987654321").to_string();
    let owner = free.next().copied().unwrap_or("987654321098").to_string();
    // Callers a condition names (a fixed account or ARN: another account can be granted
    // through it) or admits through a wildcard (one made-up caller per pattern, of an
    // account no fixed value names): the tied keys take each caller's own values, so these
    // callers must be tried too.
    let mut unnamed: BTreeSet<String> = BTreeSet::from([foreign.clone()]);
    let taken = |a: &str| text_accounts.contains(a) || a == owner || a == foreign;
    for p in policies {
        for st in &p.statements {
            for c in &st.conditions {
                let key = c.key_lower.as_str();
                let arn_key = CALLER_ARN_KEYS.contains(&key);
                if !arn_key && !CALLER_ACCOUNT_KEYS.contains(&key) {
                    continue;
                }
                let wild = wildcards(c.op.base);
                for v in &c.values {
                    let t = v.text.as_str();
                    if t.contains("${") {
                        continue;
                    }
                    let pattern = wild && t.contains(['*', '?']);
                    if !arn_key {
                        if !pattern {
                            if t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()) {
                                accounts.insert(("aws".into(), t.to_string()));
                            }
                        } else if let Some(a) = fill_account(t, &taken) {
                            accounts.insert(("aws".into(), a.clone()));
                            unnamed.insert(a);
                        }
                        continue;
                    }
                    // `StringLike` reads `*`/`?` over colons: callers of an outside account
                    // whose path holds what the pattern names (red teams 70b, 71a)
                    if pattern && matches!(c.op.base, OpBase::StringLike | OpBase::StringNotLike) {
                        for arn in spanning_callers(t, &foreign) {
                            unnamed.insert(foreign.clone());
                            named.insert(arn);
                        }
                    }
                    let f: Vec<&str> = t.splitn(6, ':').collect();
                    if f.len() != 6 || f[0] != "arn" {
                        // `StringLike` `*` spans colons: `arn:aws:iam::1111222233*` admits
                        // callers of 100 accounts, `*:role/admin` every account's `admin`
                        if pattern {
                            for arn in short_pattern_callers(t, &foreign, &taken) {
                                if let Some(a) = account_of(&arn) {
                                    unnamed.insert(a.1.clone());
                                    accounts.insert(a);
                                }
                                named.insert(arn);
                            }
                        }
                        continue;
                    }
                    let fill = |x: &str, with: &str| {
                        if wild {
                            x.replace('*', with).replace('?', "x")
                        } else {
                            x.to_string()
                        }
                    };
                    let acct = if wild && f[4].contains(['*', '?']) {
                        if f[4] == "*" {
                            Some(foreign.clone())
                        } else {
                            fill_account(f[4], &taken)
                        }
                        .inspect(|a| {
                            unnamed.insert(a.clone());
                        })
                    } else {
                        Some(f[4].to_string())
                    };
                    let Some(acct) = acct else { continue };
                    let partition = if f[1].contains(['*', '?']) && wild {
                        "aws".to_string()
                    } else {
                        f[1].to_string()
                    };
                    let arn = format!(
                        "arn:{partition}:{}::{acct}:{}",
                        fill(f[2], "iam"),
                        fill(f[5], "greenlight-example")
                    );
                    if acct.len() == 12 {
                        accounts.insert((partition, acct));
                    }
                    named.insert(arn);
                }
            }
        }
    }
    let mut out: Vec<Principal> = vec![Principal::Anonymous];
    // the principals already in `out`, by their derived `Debug` text (which prints every
    // field, so equal texts are equal principals): `out.contains` made 10,000 named
    // principals take seconds
    let mut seen: std::collections::HashSet<String> =
        std::iter::once(format!("{:?}", Principal::Anonymous)).collect();
    let mut push = |text: String| {
        if let Ok(p) = Principal::parse(&text) {
            if seen.insert(format!("{p:?}")) {
                out.push(p);
            }
        }
    };
    let mut all_accounts = accounts.clone();
    all_accounts.insert(("aws".into(), foreign.clone()));
    for (part, acct) in &all_accounts {
        push(format!("arn:{part}:iam::{acct}:root"));
        push(format!("arn:{part}:iam::{acct}:user/greenlight-example"));
        push(format!("arn:{part}:iam::{acct}:role/greenlight-example"));
        push(format!(
            "arn:{part}:sts::{acct}:assumed-role/greenlight-example/greenlight-session"
        ));
    }
    let unread: Vec<String> = named
        .iter()
        .filter(|n| !n.contains(['*', '?']) && Principal::parse(n).is_err())
        .cloned()
        .collect();
    for n in &named {
        push(n.clone());
        let parts: Vec<&str> = n.splitn(6, ':').collect();
        if parts.len() == 6 && parts[2] == "iam" && parts[5].starts_with("role/") {
            let name = parts[5].rsplit('/').next().unwrap_or_default();
            push(format!(
                "arn:{}:sts::{}:assumed-role/{name}/greenlight-session",
                parts[1], parts[4]
            ));
        }
    }
    services.extend(condition_services(policies));
    for s in &services {
        out.push(Principal::Service(s.clone()));
    }
    let mut other = "greenlight-example.amazonaws.com".to_string();
    while services.contains(&other) {
        other.insert(0, 'x');
    }
    out.push(Principal::Service(other));
    for f in &federated {
        out.push(Principal::Federated(f.clone()));
    }
    for c in &canonical {
        out.push(Principal::CanonicalUser(c.clone()));
    }
    Principals {
        candidates: out,
        foreign,
        owner,
        unnamed,
        unread,
    }
}
