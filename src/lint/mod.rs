//! The policy linter: a registry of rules, one rule per file under [`rules`], each with a
//! stable code, a kebab-case name, a severity, the policy types it applies to and its docs.
//!
//! Structural problems are found by the parser ([`crate::parse`]); each parse error code is a
//! registered `error` rule whose detection is the parser. Every other rule runs over the model.

pub mod action_index;
pub mod baseline;
pub mod categories;
pub mod config;
pub mod discovery;
pub mod docs;
pub mod effective;
pub mod escalation;
pub mod input;
pub mod managed;
pub mod rules;
pub mod run;
pub mod template;
pub mod util;

use std::fmt;

use crate::model::Policy;
use crate::parse::ParseError;
use crate::source::{LineCol, Source, Span};

/// A finding's severity; the four match Access Analyzer's finding types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Access Analyzer `SUGGESTION`: no effect on access.
    Suggestion,
    /// Access Analyzer `WARNING`: a best-practice problem.
    Warning,
    /// Access Analyzer `SECURITY_WARNING`: the policy allows more than intended.
    Security,
    /// Access Analyzer `ERROR`: part of the policy does not work, or IAM rejects it.
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Security,
        Severity::Warning,
        Severity::Suggestion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Security => "security",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The Access Analyzer finding type with the same meaning.
    pub fn access_analyzer(self) -> &'static str {
        match self {
            Severity::Error => "ERROR",
            Severity::Security => "SECURITY_WARNING",
            Severity::Warning => "WARNING",
            Severity::Suggestion => "SUGGESTION",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of policy a document is; rules apply to some of them only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PolicyType {
    Identity,
    Resource,
    Trust,
    Scp,
    Rcp,
    Boundary,
}

impl PolicyType {
    pub const ALL: [PolicyType; 6] = [
        PolicyType::Identity,
        PolicyType::Resource,
        PolicyType::Trust,
        PolicyType::Scp,
        PolicyType::Rcp,
        PolicyType::Boundary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity",
            PolicyType::Resource => "resource",
            PolicyType::Trust => "trust",
            PolicyType::Scp => "scp",
            PolicyType::Rcp => "rcp",
            PolicyType::Boundary => "boundary",
        }
    }

    pub fn parse(s: &str) -> Option<PolicyType> {
        PolicyType::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Identity-style documents: no Principal, Resource required.
    pub fn is_identity_like(self) -> bool {
        matches!(self, PolicyType::Identity | PolicyType::Boundary)
    }

    /// Documents that must name a principal.
    pub fn needs_principal(self) -> bool {
        matches!(self, PolicyType::Resource | PolicyType::Trust)
    }

    /// Detects the type from the document's shape: a `Principal` with an `sts:AssumeRole*`
    /// action is a role trust policy, any other `Principal` a resource policy, else identity.
    /// A document whose every statement has `"Principal": "*"`, whose `Allow` statements (if
    /// any) are `RCPFullAWSAccess`'s, and that denies an `sts:` action on a
    /// `Resource`/`NotResource` is a resource control policy: a trust policy has no
    /// `Resource`, no other resource policy grants `sts:` actions, and RCPs take only
    /// `"Principal": "*"` with a `Resource` (AWS's published RCPs deny
    /// `sts:AssumeRoleWithWebIdentity` or `sts:*` beside other services so,
    /// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html>).
    pub fn detect(policy: &Policy) -> PolicyType {
        let has_principal = policy.statements.iter().any(|s| s.principal.is_some());
        if !has_principal {
            return PolicyType::Identity;
        }
        let assume = policy.statements.iter().any(|s| {
            !s.action.negated
                && s.action
                    .items
                    .iter()
                    .any(|a| a.lower.starts_with("sts:assumerole") || a.lower == "sts:*")
        });
        // (an RCP's `Allow` is only the `RCPFullAWSAccess` statement, everything to everyone:
        // "The effect of Allow is only supported for the RCPFullAWSAccess policy", the RCP
        // syntax page; any other `Allow` makes the document a trust policy with a `Resource`,
        // an error to report: red team 71a)
        let star =
            |items: &[crate::model::Spanned<String>]| items.len() == 1 && items[0].value == "*";
        let rcp = policy.statements.iter().all(|s| {
            s.principal.as_ref().is_some_and(|p| {
                !p.negated && matches!(p.value, crate::model::PrincipalValue::Star)
            }) && (s.effect.value == crate::model::Effect::Deny
                || (!s.action.negated
                    && s.action.items.len() == 1
                    && s.action.items[0].text == "*"
                    && s.resource
                        .as_ref()
                        .is_some_and(|r| !r.negated && star(&r.items))
                    && s.conditions.is_empty()))
        }) && policy.statements.iter().any(|s| {
            s.effect.value == crate::model::Effect::Deny
                && s.resource.is_some()
                && !s.action.negated
                && s.action.items.iter().any(|a| a.lower.starts_with("sts:"))
        });
        if rcp {
            PolicyType::Rcp
        } else if assume {
            PolicyType::Trust
        } else {
            PolicyType::Resource
        }
    }
}

impl fmt::Display for PolicyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Types a rule applies to.
pub const ALL_TYPES: &[PolicyType] = &PolicyType::ALL;
pub const IDENTITY_TYPES: &[PolicyType] = &[PolicyType::Identity, PolicyType::Boundary];
pub const PRINCIPAL_TYPES: &[PolicyType] = &[PolicyType::Resource, PolicyType::Trust];
pub const GRANTING_TYPES: &[PolicyType] = &[
    PolicyType::Identity,
    PolicyType::Resource,
    PolicyType::Trust,
    PolicyType::Boundary,
];
pub const ORG_TYPES: &[PolicyType] = &[PolicyType::Scp, PolicyType::Rcp];

/// What the rule looks at.
#[derive(Clone, Copy)]
pub enum Check {
    /// Detected by the parser: a [`ParseError`] with this rule's name as its code.
    Parse,
    /// Detected when a file cannot be read or decoded (no policy to look at).
    Input,
    /// A check over one parsed policy.
    Policy(fn(&Ctx<'_>, &mut Vec<Finding>)),
    /// A check over the policies of one principal (several documents).
    Principal(fn(&[Ctx<'_>], &mut Vec<Finding>)),
}

/// A registered rule.
pub struct Rule {
    /// Stable code such as `GL001`.
    pub code: &'static str,
    /// Kebab-case name of the pattern it flags.
    pub name: &'static str,
    pub severity: Severity,
    pub applies_to: &'static [PolicyType],
    /// The Access Analyzer issue codes this rule corresponds to (may be empty).
    pub access_analyzer: &'static [&'static str],
    /// The AWS documentation page for the topic.
    pub aws_docs: &'static str,
    /// Markdown docs with the fixed headings (see [`docs`]).
    pub docs: &'static str,
    pub check: Check,
}

impl Rule {
    pub fn applies(&self, t: PolicyType) -> bool {
        self.applies_to.contains(&t)
    }

    /// The first sentence of "What it does", for tables.
    pub fn summary(&self) -> String {
        docs::summary(self.docs)
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

/// Everything a policy rule sees.
pub struct Ctx<'a> {
    pub policy: &'a Policy,
    pub policy_type: PolicyType,
    /// What several rules compute about the policy, made once for all of them.
    pub(crate) memo: Memo,
}

/// What several rules of one policy compute the same way ([`Ctx::memo`]): made by the first
/// rule that asks, for the rules after it.
#[derive(Default)]
pub(crate) struct Memo {
    /// Per statement, whether it is an Allow whose `Resource` has a wildcard or a policy
    /// variable, or is `NotResource` ([`categories::covered`]).
    pub(crate) open: std::cell::OnceCell<Vec<bool>>,
    /// The risk categories' fixed resource-tag keys ([`categories::report`]).
    pub(crate) unnamed_tags: std::cell::OnceCell<effective::Fixed>,
    /// The risk categories' unnamed ARNs and which statements take them
    /// ([`effective::cheap_unnamed_groups`]).
    pub(crate) unnamed: effective::UnnamedMemo,
    /// The statements' `Action`/`NotAction` blocks as catalog indices ([`Ctx::actions`]).
    actions: std::cell::OnceCell<std::rc::Rc<action_index::PolicyActions>>,
    /// [`Ctx::arn_fields`]: per text of the policy (by address and length), where its first
    /// five colons are.
    arn_cuts: std::cell::RefCell<ArnCuts>,
    /// [`Ctx::unknown_services`].
    unknown_services: std::cell::OnceCell<Vec<(usize, usize)>>,
    /// [`Ctx::allow_cover`].
    allow_cover: std::cell::OnceCell<action_index::EffectCover>,
    /// Per `Action`/`NotAction` item, what the catalog says of it
    /// ([`rules::unknown_action::statuses`]).
    pub(crate) action_status: std::cell::OnceCell<Vec<rules::unknown_action::Status>>,
}

/// [`Memo::arn_cuts`]: per text (by address and length), its first five colons, in the order
/// first asked; the rules mostly ask in that same order, one after another, so the entry after
/// the last one found is tried before the map.
/// A text of the policy, by its address and length ([`ArnCuts`]).
type TextKey = (usize, usize);

#[derive(Default)]
struct ArnCuts {
    entries: Vec<(TextKey, Option<[u32; 5]>)>,
    /// The index in `entries` of each text.
    index: std::collections::HashMap<TextKey, u32, crate::catalog::FxBuild>,
    /// The entry after the last one found.
    next: usize,
}

impl ArnCuts {
    fn get(&mut self, key: TextKey) -> Option<Option<[u32; 5]>> {
        let at = match self.entries.get(self.next) {
            Some((k, _)) if *k == key => self.next,
            _ => match self.entries.first() {
                Some((k, _)) if *k == key => 0,
                _ => *self.index.get(&key)? as usize,
            },
        };
        self.next = at + 1;
        Some(self.entries[at].1)
    }

    fn insert(&mut self, key: TextKey, cuts: Option<[u32; 5]>) {
        self.index.insert(key, self.entries.len() as u32);
        self.entries.push((key, cuts));
        self.next = self.entries.len();
    }
}

impl<'a> Ctx<'a> {
    /// The context of one policy of type `policy_type`.
    pub fn new(policy: &'a Policy, policy_type: PolicyType) -> Ctx<'a> {
        Ctx {
            policy,
            policy_type,
            memo: Memo::default(),
        }
    }
}

impl Ctx<'_> {
    /// [`action_index::of_policy`] of the policy, made once for all rules.
    pub fn actions(&self) -> std::rc::Rc<action_index::PolicyActions> {
        self.memo
            .actions
            .get_or_init(|| action_index::of_policy(self.policy))
            .clone()
    }

    /// The actions some Allow statement of the policy covers
    /// ([`action_index::PolicyActions::effect_cover`]), made once for all rules.
    pub fn allow_cover(&self) -> &action_index::EffectCover {
        self.memo.allow_cover.get_or_init(|| {
            self.actions()
                .effect_cover(self.policy, crate::model::Effect::Allow)
        })
    }

    /// The `Action`/`NotAction` items (statement and item index, in policy order) whose service
    /// prefix is literal (not empty, no wildcard) and unknown to the active catalog: what
    /// `unknown-service` and `retired-service` report, found once for both.
    pub fn unknown_services(&self) -> &[(usize, usize)] {
        self.memo.unknown_services.get_or_init(|| {
            let cat = crate::catalog::active();
            // the last few prefixes the catalog knows (a policy's actions mostly share a
            // handful): compared before the catalog lookup
            let mut known: Vec<&str> = Vec::new();
            let mut out = Vec::new();
            for (k, s) in self.policy.statements.iter().enumerate() {
                for (j, a) in s.action.items.iter().enumerate() {
                    let Some((svc, _)) = a.split() else { continue };
                    if svc.is_empty() || svc.contains(['*', '?']) || known.contains(&svc) {
                        continue;
                    }
                    if cat.service(svc).is_some() {
                        if known.len() < 8 {
                            known.push(svc);
                        }
                        continue;
                    }
                    out.push((k, j));
                }
            }
            out
        })
    }

    /// [`util::arn_fields`] of `text`, a string of the policy (a `Resource` item's value):
    /// split once for all the rules that split it. The policy is not changed while it is
    /// linted, so its address and length stand for its text.
    pub fn arn_fields<'t>(&self, text: &'t str) -> Option<[&'t str; 6]> {
        let key = (text.as_ptr() as usize, text.len());
        let hit = self.memo.arn_cuts.borrow_mut().get(key);
        let cuts = match hit {
            Some(c) => c,
            None => {
                let c = util::arn_fields(text).map(|f| {
                    let mut cuts = [0u32; 5];
                    let mut at = 0usize;
                    for (k, field) in f.iter().take(5).enumerate() {
                        at += field.len();
                        cuts[k] = at as u32;
                        at += 1;
                    }
                    cuts
                });
                self.memo.arn_cuts.borrow_mut().insert(key, c);
                c
            }
        };
        let c = cuts?.map(|x| x as usize);
        Some([
            text.get(..c[0])?,
            text.get(c[0] + 1..c[1])?,
            text.get(c[1] + 1..c[2])?,
            text.get(c[2] + 1..c[3])?,
            text.get(c[3] + 1..c[4])?,
            text.get(c[4] + 1..)?,
        ])
    }

    pub fn source(&self) -> &Source {
        &self.policy.source
    }

    /// A finding of `rule` at `span`.
    pub fn finding(&self, rule: &'static Rule, span: Span, message: impl Into<String>) -> Finding {
        Finding::new(rule, self.policy.source.clone(), span, message)
    }
}

/// One finding: a rule, a place and what to do.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    /// The severity after configuration overrides.
    pub severity: Severity,
    pub source: Source,
    pub span: Span,
    pub message: String,
    /// (mostly a rule's own text: borrowed, not copied into every finding)
    pub help: Option<std::borrow::Cow<'static, str>>,
    pub label: std::borrow::Cow<'static, str>,
    /// A second location, such as the first of two duplicates.
    pub related: Option<(Span, String)>,
}

impl Finding {
    pub fn new(
        rule: &'static Rule,
        source: Source,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            source,
            span,
            message: message.into(),
            help: None,
            label: std::borrow::Cow::Borrowed("here"),
            related: None,
        }
    }

    pub fn help(mut self, help: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.label = label.into();
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related = Some((span, label.into()));
        self
    }

    pub fn file(&self) -> &str {
        &self.source.name
    }

    pub fn start(&self) -> LineCol {
        self.source.line_col(self.span.start)
    }

    pub fn end(&self) -> LineCol {
        self.source.line_col(self.span.end)
    }

    /// Stable across runs and unaffected by edits elsewhere in the file: the rule, the file
    /// (relative to the repository root, so `x.json`, `./x.json` and `/repo/x.json` agree:
    /// [`crate::discover::paths::normalized`]), the message and the text under the span (not
    /// the line number).
    pub fn fingerprint(&self) -> String {
        let mut h = Fnv::new();
        h.write(self.rule.code.as_bytes());
        h.write(&[0]);
        // findings come file by file: the name is normalised once per file and thread
        thread_local! {
            static LAST: std::cell::RefCell<(String, String)> = const {
                std::cell::RefCell::new((String::new(), String::new()))
            };
        }
        LAST.with(|l| {
            let mut l = l.borrow_mut();
            if l.0 != *self.source.name || l.0.is_empty() {
                let n = crate::discover::paths::normalized(&self.source.name).into_owned();
                *l = (String::from(&*self.source.name), n);
            }
            h.write(l.1.as_bytes());
        });
        h.write(&[0]);
        h.write(self.message.as_bytes());
        h.write(&[0]);
        h.write(self.source.slice(self.span).as_bytes());
        // `format!("{:016x}")`, without the formatting machinery
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let v = h.finish();
        // (sized once: collecting the characters grew the string as it went)
        let mut out = String::with_capacity(16);
        for i in 0..16 {
            out.push(char::from(HEX[((v >> (60 - 4 * i)) & 0xf) as usize]));
        }
        out
    }

    /// The order findings are reported in: file, position, code, message.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.source.name,
            self.span.start,
            self.span.end,
            self.rule.code,
            &self.message,
        )
    }

    /// `self.sort_key().cmp(&other.sort_key())`, without comparing the file names of two
    /// findings of one document (they share the name's allocation), as nearly every
    /// comparison of a sort does.
    pub fn cmp_sort_key(&self, other: &Finding) -> std::cmp::Ordering {
        let names = if std::sync::Arc::ptr_eq(&self.source.name, &other.source.name) {
            std::cmp::Ordering::Equal
        } else {
            self.source.name.cmp(&other.source.name)
        };
        names.then_with(|| {
            (
                self.span.start,
                self.span.end,
                self.rule.code,
                &self.message,
            )
                .cmp(&(
                    other.span.start,
                    other.span.end,
                    other.rule.code,
                    &other.message,
                ))
        })
    }

    /// Converts a parse error into the finding of the rule with the same name.
    pub fn from_parse_error(e: &ParseError) -> Finding {
        let rule = rules::by_name(e.code).unwrap_or(&rules::json_syntax::RULE);
        let mut f = Finding::new(rule, e.source.clone(), e.span, e.message.clone());
        f.help = Some(match &e.help {
            Some(h) => h.clone().into(),
            None => format!(
                "IAM rejects this document; `greenlight rule {}` explains the rule",
                rule.name
            )
            .into(),
        });
        f.label = e.label.clone().into();
        f.related = e.related.clone();
        f
    }
}

/// 64-bit FNV-1a: tiny, stable across platforms and releases (unlike `DefaultHasher`).
pub(crate) struct Fnv(u64);

impl Fnv {
    pub fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    pub fn write(&mut self, bytes: &[u8]) {
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        // (eight bytes a round: the same steps, with less loop overhead)
        let mut chunks = bytes.chunks_exact(8);
        let mut h = self.0;
        for c in &mut chunks {
            for &b in c {
                h = (h ^ u64::from(b)).wrapping_mul(PRIME);
            }
        }
        for &b in chunks.remainder() {
            h = (h ^ u64::from(b)).wrapping_mul(PRIME);
        }
        self.0 = h;
    }
    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// Runs every policy rule that applies to `policy_type` on one parsed policy.
pub fn lint_policy(policy: &Policy, policy_type: PolicyType) -> Vec<Finding> {
    let cx = Ctx::new(policy, policy_type);
    let mut out = Vec::new();
    policy_rules(&cx, &mut out);
    out
}

/// A policy rule's check.
type PolicyCheck = fn(&Ctx<'_>, &mut Vec<Finding>);
/// A principal rule's check.
type PrincipalCheck = fn(&[Ctx<'_>], &mut Vec<Finding>);

/// The rules' checks as the linter runs them, in [`rules::ALL`]'s order, each with the
/// policy types its rule applies to (bit `1 << t as usize`). Built once: the dispatch loops
/// then read two short tables instead of every rule's record, whose fields lie on a cache
/// line each that the rules' own work evicts between two documents (about a fifth of the
/// linter's level-1 data cache misses on a directory of small policies went there).
struct Dispatch {
    policy: Vec<(u8, PolicyCheck)>,
    principal: Vec<(u8, PrincipalCheck)>,
}

fn dispatch() -> &'static Dispatch {
    static DISPATCH: std::sync::OnceLock<Dispatch> = std::sync::OnceLock::new();
    DISPATCH.get_or_init(|| {
        let mut d = Dispatch {
            policy: Vec::new(),
            principal: Vec::new(),
        };
        for rule in rules::ALL {
            let mask = PolicyType::ALL
                .iter()
                .filter(|&&t| rule.applies(t))
                .fold(0u8, |m, &t| m | type_bit(t));
            match rule.check {
                Check::Policy(f) => d.policy.push((mask, f)),
                Check::Principal(f) => d.principal.push((mask, f)),
                Check::Parse | Check::Input => {}
            }
        }
        d
    })
}

/// A policy type's bit in [`Dispatch`]'s masks.
fn type_bit(t: PolicyType) -> u8 {
    1 << t as usize
}

/// The policy rules on one context.
fn policy_rules(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let bit = type_bit(cx.policy_type);
    for &(mask, f) in &dispatch().policy {
        if mask & bit != 0 {
            f(cx, out);
        }
    }
}

/// [`lint_policy`] then [`lint_principal`] of the policy alone (the same findings in the same
/// order), on one context: the principal rules reuse what the policy rules computed about the
/// policy ([`Ctx::memo`]).
pub fn lint_alone(policy: &Policy, policy_type: PolicyType) -> Vec<Finding> {
    let cx = Ctx::new(policy, policy_type);
    let mut out = Vec::new();
    policy_rules(&cx, &mut out);
    principal_rules(std::slice::from_ref(&cx), &mut out);
    out
}

/// [`lint_alone`] of each policy, rule by rule over all of them (each rule runs on the
/// policies one after the other, its code still in the instruction cache, instead of every
/// rule's code being read again for each policy): the same findings, in the same order, per
/// policy.
pub fn lint_alone_many(docs: &[(&Policy, PolicyType)]) -> Vec<Vec<Finding>> {
    let cxs: Vec<Ctx<'_>> = docs.iter().map(|&(p, t)| Ctx::new(p, t)).collect();
    let mut outs: Vec<Vec<Finding>> = docs.iter().map(|_| Vec::new()).collect();
    let d = dispatch();
    for &(mask, f) in &d.policy {
        for (cx, out) in cxs.iter().zip(&mut outs) {
            if mask & type_bit(cx.policy_type) != 0 {
                f(cx, out);
            }
        }
    }
    // (a principal rule on one policy: run when it applies to the policy's type, as
    // [`principal_rules`] does for one context)
    for &(mask, f) in &d.principal {
        for (cx, out) in cxs.iter().zip(&mut outs) {
            if mask & type_bit(cx.policy_type) != 0 {
                f(std::slice::from_ref(cx), out);
            }
        }
    }
    outs
}

/// Only the rules that say whether an action exists (GL099 `unknown-service`, GL100
/// `unknown-action`, both with "did you mean"), for commands other than `lint` that warn about
/// misspelt actions (`check`).
pub fn unknown_actions(policy: &Policy, policy_type: PolicyType) -> Vec<Finding> {
    let cx = Ctx::new(policy, policy_type);
    let mut out = Vec::new();
    for rule in [&rules::unknown_service::RULE, &rules::unknown_action::RULE] {
        if let Check::Policy(f) = rule.check
            && rule.applies(policy_type)
        {
            f(&cx, &mut out);
        }
    }
    out
}

/// Runs the rules that look at the policies of one principal together.
pub fn lint_principal(policies: &[(&Policy, PolicyType)]) -> Vec<Finding> {
    let cxs: Vec<Ctx<'_>> = policies.iter().map(|(p, t)| Ctx::new(p, *t)).collect();
    let mut out = Vec::new();
    principal_rules(&cxs, &mut out);
    out
}

/// The principal rules on the contexts of one principal's policies: a rule that applies to
/// every policy shares their contexts (and what earlier rules computed), otherwise it gets new
/// contexts of the policies it applies to.
fn principal_rules(cxs: &[Ctx<'_>], out: &mut Vec<Finding>) {
    for &(mask, f) in &dispatch().principal {
        let applies = |c: &Ctx<'_>| mask & type_bit(c.policy_type) != 0;
        if cxs.iter().all(applies) {
            if !cxs.is_empty() {
                f(cxs, out);
            }
            continue;
        }
        let applicable: Vec<Ctx<'_>> = cxs
            .iter()
            .filter(|c| applies(c))
            .map(|c| Ctx::new(c.policy, c.policy_type))
            .collect();
        if !applicable.is_empty() {
            f(&applicable, out);
        }
    }
}

/// Parses and lints one document text: the parse error as a finding, or the policy findings.
pub fn lint_source(source: &Source, policy_type: Option<PolicyType>) -> LintedDocument {
    match crate::parse::parse_policy(source) {
        Err(e) => LintedDocument {
            policy_type,
            policy: None,
            findings: vec![Finding::from_parse_error(&e)],
            failed: true,
        },
        Ok(p) => {
            let t = policy_type.unwrap_or_else(|| PolicyType::detect(&p));
            let findings = lint_alone(&p, t);
            LintedDocument {
                policy_type: Some(t),
                policy: Some(p),
                findings,
                failed: false,
            }
        }
    }
}

/// The result of linting one document.
#[derive(Debug)]
pub struct LintedDocument {
    pub policy_type: Option<PolicyType>,
    pub policy: Option<Policy>,
    pub findings: Vec<Finding>,
    /// The document could not be read or parsed.
    pub failed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rule by rule over several policies ([`lint_alone_many`]) finds, per policy, what
    /// [`lint_alone`] finds on it alone, in the same order: on every AWS managed policy of the
    /// shipped corpus, in batches of several sizes, each policy under a type that varies
    /// within a batch (so rules that apply to some types only are skipped for some members).
    #[test]
    fn many_at_once_finds_what_each_alone_finds() {
        let corpus = crate::sources::managed::corpus().unwrap_or_else(|e| panic!("{e}"));
        let policies: Vec<crate::model::Policy> = corpus
            .iter()
            .filter_map(|p| {
                let src = Source::new(p.arn.as_str(), p.document.get().to_string());
                crate::parse::parse_policy(&src).ok()
            })
            .collect();
        assert!(policies.len() > 1500, "{}", policies.len());
        let docs: Vec<(&crate::model::Policy, PolicyType)> = policies
            .iter()
            .enumerate()
            .map(|(k, p)| (p, PolicyType::ALL[k % 7 % PolicyType::ALL.len()]))
            .collect();
        let alone: Vec<String> = docs
            .iter()
            .map(|&(p, t)| format!("{:?}", lint_alone(p, t)))
            .collect();
        assert!(alone.iter().filter(|f| *f != "[]").count() > 1000);
        for size in [1usize, 3, 8, 32] {
            let mut at = 0;
            for chunk in docs.chunks(size) {
                for found in lint_alone_many(chunk) {
                    assert_eq!(
                        format!("{found:?}"),
                        alone[at],
                        "policy {at}, batches of {size}"
                    );
                    at += 1;
                }
            }
            assert_eq!(at, docs.len());
        }
    }

    /// The dispatch tables hold, per policy type, one check per policy rule that applies to
    /// it, and one entry per policy or principal rule with exactly the types it applies to,
    /// in the rules' order.
    #[test]
    fn dispatch_tables_follow_the_rules() {
        let d = dispatch();
        for t in PolicyType::ALL {
            let want = rules::ALL
                .iter()
                .filter(|r| matches!(r.check, Check::Policy(_)) && r.applies(t))
                .count();
            let got = d
                .policy
                .iter()
                .filter(|(m, _)| m & type_bit(t) != 0)
                .count();
            assert_eq!(got, want, "{t}");
            assert!(want > 0, "{t}");
        }
        for (table, policy) in [
            (&d.policy.iter().map(|x| x.0).collect::<Vec<_>>(), true),
            (&d.principal.iter().map(|x| x.0).collect(), false),
        ] {
            let rules: Vec<&Rule> = rules::ALL
                .iter()
                .copied()
                .filter(|r| match r.check {
                    Check::Policy(_) => policy,
                    Check::Principal(_) => !policy,
                    _ => false,
                })
                .collect();
            assert_eq!(table.len(), rules.len());
            for (mask, rule) in table.iter().zip(rules) {
                for t in PolicyType::ALL {
                    assert_eq!(
                        mask & type_bit(t) != 0,
                        rule.applies(t),
                        "{} on {t}",
                        rule.code
                    );
                }
            }
        }
    }
}
