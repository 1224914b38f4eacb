//! AWS managed policies attached to the principals of a template or an authorization-details
//! file, read from the shipped corpus ([`crate::sources::managed::corpus`], as `verify` and
//! `scan` read them) for the cross-policy rules: a combination such as `iam:PassRole` in an
//! inline policy with `ec2:RunInstances` in an attached `AmazonEC2FullAccess` is one
//! principal's. Their own content is not linted as a document of the input; a finding located
//! in one is moved to where the principal attaches it, naming the policy. Attaching one that
//! grants full administrator access or an escalation action is reported there too
//! ([`own_findings`]): the principal holds what the policy grants.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::Finding;
use crate::model::Policy;
use crate::source::{Source, Span};

/// An AWS managed policy attached to a principal of [`super::input::Loaded::principals`].
#[derive(Clone, Debug)]
pub struct Attachment {
    /// Index into `principals`.
    pub principal: usize,
    /// The policy's ARN, or (`by_name`) its name as SAM's `Policies` write it.
    pub arn: String,
    pub by_name: bool,
    /// Where the principal attaches it (the input's text, named as the principal).
    pub source: Source,
    pub span: Span,
    /// Attached by a name not known offline that may be this principal's
    /// ([`crate::iac::cfn::Principal::maybe`]): its own findings are reported (what the
    /// principal may be given), its `Allow`s reach the cross-policy rules through
    /// [`super::input::Loaded::extra`].
    pub maybe: bool,
}

/// The policy an attachment names, parsed once per process; `None` when the corpus does not
/// hold it (or cannot be read).
pub fn policy(arn: &str, by_name: bool) -> Option<Arc<Policy>> {
    type Memo = Mutex<HashMap<(String, bool), Option<Arc<Policy>>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let key = (arn.to_string(), by_name);
    if let Some(p) = memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return p;
    }
    let parsed = crate::sources::managed::corpus().ok().and_then(|c| {
        let p = if by_name { c.by_name(arn) } else { c.get(arn) }?;
        let src = Source::new(p.arn.as_str(), p.document.get().to_string());
        crate::parse::parse_policy(&src).ok().map(Arc::new)
    });
    if let Ok(mut m) = memo.lock() {
        m.insert(key, parsed.clone());
    }
    parsed
}

/// The span of the text that names the policy `arn` (its name after `policy/`), searched
/// from the first occurrence of `near` (the principal's logical id) and then from the start;
/// the start of the text when it is not written out (built by an intrinsic function).
pub fn span_of(text: &str, arn: &str, near: &str) -> Span {
    let name = arn.split_once(":policy/").map_or(arn, |(_, n)| n);
    let from = text.find(near).unwrap_or(0);
    let found = text[from..]
        .find(name)
        .map(|i| i + from)
        .or_else(|| text.find(name));
    match found {
        Some(i) => Span::new(i, i + name.len()),
        None => Span::default(),
    }
}

/// Moves a finding located in an attached AWS managed policy to where the principal attaches
/// it, saying so in its message.
pub fn relocate(f: &mut Finding, attachments: &[&Attachment], policies: &[Arc<Policy>]) {
    let Some((a, p)) = attachments
        .iter()
        .zip(policies)
        .find(|(_, p)| p.source.name == f.source.name)
    else {
        return;
    };
    f.message = if a.maybe {
        format!(
            "{} (located in the AWS managed policy `{}`, which the template attaches to a name not known offline that may be this principal's)",
            f.message, p.source.name
        )
    } else {
        format!(
            "{} (located in the AWS managed policy `{}` it attaches)",
            f.message, p.source.name
        )
    };
    f.source = a.source.clone();
    f.span = a.span;
    f.related = None;
}

/// The rules whose finding on an attached AWS managed policy's own document is reported at the
/// attachment: full administrator access and privilege-escalation actions (what a reviewer
/// must see when a template gives a role `AdministratorAccess` or `IAMFullAccess`).
const OWN_RULES: &[&str] = &["GL089", "GL097"];

/// The [`OWN_RULES`] findings on the attached policy's document, memoised per policy; located
/// in it (move them with [`relocate`]).
pub fn own_findings(policy: &Arc<Policy>) -> Vec<Finding> {
    type Memo = Mutex<HashMap<String, Vec<Finding>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let key = policy.source.name.to_string();
    if let Some(f) = memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return f;
    }
    let cx = super::Ctx::new(policy, super::PolicyType::Identity);
    let mut out = Vec::new();
    for rule in super::rules::ALL
        .iter()
        .filter(|r| OWN_RULES.contains(&r.code))
    {
        if let super::Check::Policy(f) = rule.check {
            f(&cx, &mut out);
        }
    }
    if let Ok(mut m) = memo.lock() {
        m.insert(key, out.clone());
    }
    out
}
