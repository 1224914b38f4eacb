//! The request space cut into finitely many classes, one witness request per combination.
//!
//! Dimensions and their classes:
//! - action: catalog actions (plus the literal actions the policies name that the catalog
//!   lacks) grouped by which action patterns match them: actions in one group are treated
//!   alike by every `Action`/`NotAction` element;
//! - resource: the atoms of the `Resource`/`NotResource` patterns of the statements that
//!   apply to the action ([`super::automaton`]);
//! - principal (resource and trust policies): every principal the policies name, a user, a
//!   role and a session of every account they name, a principal of an account none names,
//!   an unnamed service, anonymous ([`super::principals`]);
//! - each context key a condition of an applicable statement reads ([`super::keys`]).
//!
//! The evaluator decides every witness; nothing here decides access.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::automaton::{self, Lang, Pattern};
use super::keys::{self, KeyClass, KeyUse, VarValues};
use super::vars::{self, Occurrence};
use super::{StatementRef, Unknown};
use crate::catalog;
use crate::eval::condition::CCondition;
use crate::eval::{Context, Principal, Request};
use crate::model::{Effect, Policy};

/// The end of the reason a policy-variable key has no classes of its own: it is tied to the
/// caller (the question gives its values).
pub(crate) const TIED_TO_CALLER: &str = " is tied to the caller";

/// The most witness requests one action class may need before the analysis answers
/// `unknown` for it.
const MAX_COMBOS: u64 = 2_000_000;
/// Below this many combinations of context classes, every one is visited: merging them
/// ([`merged_combos`]) would save little.
const MERGE_FROM: u64 = 64;
/// The most combinations [`merged_combos`] keeps apart before it gives up.
const MAX_MERGED: usize = 200_000;
/// The most product states one resource partition may explore.
const MAX_STATES: usize = 200_000;

/// A group of actions every action pattern treats alike.
#[derive(Clone, Debug)]
pub struct ActionClass {
    /// The action the witnesses use.
    pub rep: String,
    /// Every action of the group (catalog spelling; policy spelling for actions the catalog
    /// lacks), sorted.
    pub members: Vec<String>,
    /// Indices of the action patterns that match the group.
    sig: Vec<u32>,
}

/// One statement, as the search needs it.
#[derive(Clone, Debug)]
struct Stmt {
    side: usize,
    effect: Effect,
    action_ids: Vec<u32>,
    action_neg: bool,
    res_ids: Option<Vec<u32>>,
    keys: Vec<String>,
    at: StatementRef,
    /// Position of the statement's policy in its side's list.
    policy: usize,
    /// Interned [`content_key`] of the statement: what it means apart from its action.
    content: u32,
    /// Why requests this statement applies to are not decided exhaustively.
    unknown: Vec<String>,
    /// A `Resource`/`NotResource` item holds a policy variable (its values may hold a `/`: the
    /// S3 forms are not cut for the classes it applies to, [`s3_forms`]).
    res_vars: bool,
    /// Whether its `Resource` items may match an S3 bucket ARN and an S3 object ARN
    /// ([`item_s3_forms`]; both for `NotResource`).
    forms: [bool; 2],
    /// A statement with parts not decided whose `Resource` items (each policy variable read
    /// as `*`) match none of the resources a `verify --on` asks about: it cannot apply to a
    /// request searched, so what it leaves undecided does not matter (red team 47: the IAM
    /// guide's home-folder policy asked about another bucket was `unknown`).
    beyond: bool,
    /// The statement's conditions, compiled as the evaluator compiles them, when the
    /// statement holds no policy variable anywhere: whether it applies to a request then
    /// depends on the request's context only through these conditions, each through its own
    /// key ([`merged_combos`]). `None`: a variable, or a condition that does not compile.
    conds: Option<Rc<[CCondition]>>,
    /// Interned text of the statement's conditions: statements with the same conditions
    /// hold under the same contexts ([`merged_combos`] counts them once); `u32::MAX` where
    /// the folding has nothing to read (no conditions, or `conds` is `None`).
    cond_id: u32,
}

/// Whether any part of the statement, as parsed, holds `${`: its action, resource or principal
/// items, a condition key or value.
fn mentions_variable(s: &crate::model::Statement) -> bool {
    let v = |t: &str| t.contains("${");
    s.action.items.iter().any(|a| v(&a.text))
        || s.resource
            .as_ref()
            .is_some_and(|r| r.items.iter().any(|i| v(&i.value)))
        || s.principal.as_ref().is_some_and(|p| match &p.value {
            crate::model::PrincipalValue::Star => false,
            crate::model::PrincipalValue::Map(m) => {
                m.iter().any(|e| e.values.iter().any(|x| v(&x.value)))
            }
        })
        || s.conditions
            .iter()
            .any(|c| v(&c.key) || c.values.iter().any(|x| v(&x.text)))
}

/// Whether a `Resource` item's policy variable may decide whether it names an S3 bucket or an
/// object (a value holding `/`, red team 35): not when the text before the first variable
/// already fixes it, an ARN of another service or an S3 resource part that holds a `/`
/// (`arn:aws:s3:::bucket/home/${aws:username}/*` names objects whatever the user name, red
/// team 47).
fn variable_may_change_s3_form(item: &str) -> bool {
    let Some(at) = item.find("${") else {
        return false;
    };
    let fields: Vec<&str> = item[..at].splitn(6, ':').collect();
    if fields.len() < 6 {
        return true;
    }
    let service = fields[2];
    let literal = !service.contains(['*', '?']);
    if literal && !service.eq_ignore_ascii_case("s3") {
        return false;
    }
    !fields[5].contains('/')
}

/// Whether a `Resource` item may match an S3 bucket ARN (`arn:PARTITION:s3:::NAME`) and an
/// S3 object ARN (a `/` after the name), the only ARNs [`s3_forms`] cuts: an ARN of another
/// service, or one with a Region or account field (an access point), is not cut (both); a literal `/` in
/// the resource part before any wildcard or variable only objects; a resource part without
/// `/`, wildcard or variable only buckets; anything else both.
fn item_s3_forms(item: &str) -> [bool; 2] {
    let fields: Vec<&str> = item.splitn(6, ':').collect();
    if fields.len() < 6 || !fields[0].eq_ignore_ascii_case("arn") {
        return [true; 2];
    }
    let service = fields[2];
    if !service.contains(['*', '?', '$']) && !service.eq_ignore_ascii_case("s3") {
        // (not cut: an S3 action on another service's ARN is tried as the evaluator reads it)
        return [true; 2];
    }
    // (an access point's or another ARN with a Region or an account is neither form: the
    // forms cut only `arn:PARTITION:s3:::...`, [`s3_form`])
    if !(fields[3].is_empty() && fields[4].is_empty()) {
        return [true; 2];
    }
    let rest = fields[5];
    let open = rest.find(['*', '?', '$']).unwrap_or(rest.len());
    if rest[..open].contains('/') {
        [false, true]
    } else if open == rest.len() {
        [true, false]
    } else {
        [true; 2]
    }
}

/// Whether the `Resource` item `item` (each policy variable read as `*`, which over-approximates
/// any value) and the resource pattern `asked` may match one ARN; `true` when it cannot be
/// told.
fn may_meet(item: &str, asked: &str) -> bool {
    let mut wide = String::with_capacity(item.len());
    let mut rest = item;
    while let Some(i) = rest.find("${") {
        wide.push_str(&rest[..i]);
        match rest[i..].find('}') {
            Some(j) => {
                wide.push('*');
                rest = &rest[i + j + 1..];
            }
            None => {
                wide.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    wide.push_str(rest);
    let (Some(p), Some(q)) = (Pattern::arn_resource(&wide), Pattern::arn_resource(asked)) else {
        return true;
    };
    match automaton::atoms_preferring(&[p, q], 0, MAX_STATES, &[]) {
        Ok(atoms) => atoms.iter().any(|a| a.accepts[0] && a.accepts[1]),
        Err(_) => true,
    }
}

/// Which S3 forms the members of an action class take, when every member is an S3 action
/// ([`s3_takes`]); `None` for a class with another service's action.
fn class_s3_forms(class: &ActionClass) -> Option<[bool; 2]> {
    let mut out = [false; 2];
    for m in &class.members {
        if !m
            .as_bytes()
            .get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"s3:"))
        {
            return None;
        }
        let t = s3_takes(m);
        out = [out[0] || t[0], out[1] || t[1]];
        if out == [true; 2] {
            return None;
        }
    }
    Some(out)
}

/// How witnesses are completed for the policy types analysed.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// The resource of every witness (a role trust policy's role), instead of the atoms.
    pub fixed_resource: Option<String>,
    /// `Request::resource_account` of every witness.
    pub resource_account: Option<String>,
    /// The principal candidates; `None` for identity-only sets (no caller needed).
    pub principals: Option<Vec<Principal>>,
    /// Context keys tied to the caller (lower-cased), and their classes for each candidate
    /// principal (same order as `principals`). These keys take only these classes.
    pub tied: Vec<(String, Vec<Vec<KeyClass>>)>,
    /// The tied keys stand for the caller's own fixed values (`lint`'s questions: "on a
    /// resource other than the caller's own"): a resource named through one of them is the
    /// caller's own, left out of the search rather than split by the key's values. Never for
    /// `verify`/`diff`, whose tied values are real callers' and whose resources named through
    /// them must be searched.
    pub own_variables: bool,
    /// Action patterns that must split the action classes though no statement names them:
    /// the evaluator treats their actions apart (for RCPs, the services RCPs restrict,
    /// [`crate::eval::rcp`]).
    pub action_splits: Vec<String>,
}

/// Restrictions of a search (for `verify`).
#[derive(Clone, Debug, Default)]
pub struct Restrict {
    /// Only actions these patterns match.
    pub actions: Vec<String>,
    /// Only resources these ARN patterns match.
    pub resources: Vec<String>,
}

/// The partitioned request space of some policy sets ("sides").
pub struct Space {
    pub actions: Vec<ActionClass>,
    stmts: Vec<Stmt>,
    res_pats: Vec<(String, Pattern)>,
    keys: BTreeMap<String, (String, Result<Vec<KeyClass>, String>)>,
    frame: Frame,
    restrict_actions: Vec<u32>,
    restrict_res: Vec<u32>,
    /// Constructs the analysis does not decide exhaustively, found while building.
    pub unknowns: Vec<Unknown>,
    res_cache: HashMap<Vec<u32>, Rc<Vec<String>>>,
    /// Action pattern → the statements whose `Action`/`NotAction` lists it.
    pat_stmts: Vec<Vec<usize>>,
    /// Set by [`Space::skip_equivalent_classes`]: per statement, (policy role, content).
    equiv: Option<Vec<(u8, u32)>>,
    /// `aws:ResourceAccount` tied to the resource's account ([`ResourceAccountTie`]).
    ra_tie: Option<ResourceAccountTie>,
    /// Ids of `arn:*:s3:::*` and `arn:*:s3:::*/*` ([`s3_forms`]).
    s3_ids: [u32; 2],
    /// Context keys (lower-cased) whose classes the search visits each, even where the
    /// statements cannot tell them apart ([`merged_combos`]): a question that reports one
    /// result per value of the key sets them.
    pub distinct_keys: Vec<String>,
}

/// S3 authorizes a request on a bucket against the bucket's ARN (`arn:aws:s3:::NAME`, no `/`:
/// bucket names cannot hold one) and a request on an object against the object's
/// (`arn:aws:s3:::NAME/KEY`), each action against the resource types the Service Authorization
/// Reference lists for it
/// (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html>,
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html>):
/// `s3:ListBucket` on `arn:aws:s3:::b/x` or `s3:GetObject` on `arn:aws:s3:::b` is no request
/// AWS makes (red team 34: merging the ListBucket and GetObject statements of the docs' policy
/// onto `[bucket, bucket/*]` was "added"). For a class with S3 actions, the resource atoms
/// are cut by those two shapes, and a witness of one shape stands for the members that take it
/// (the members of another service, or without resource types in the catalog, take both).
/// The members' forms ([`S3Forms`]); `None` when every member takes both.
fn s3_forms(class: &ActionClass) -> Option<S3Forms> {
    // (the service before the first `:` is `s3`: the name starts with `s3:`, in any case)
    let is_s3 = |m: &str| {
        m.as_bytes()
            .get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"s3:"))
    };
    // per member, whether it takes each form (a member of another service, or without
    // resource types in the catalog, takes both): each member read once, and the members
    // copied only when a resource of a form is visited ([`S3Forms::class`])
    let flags: Vec<[bool; 2]> = class
        .members
        .iter()
        .map(|m| if is_s3(m) { s3_takes(m) } else { [true; 2] })
        .collect();
    if flags.iter().all(|f| *f == [true; 2]) {
        return None;
    }
    Some(S3Forms {
        flags,
        built: [std::cell::OnceCell::new(), std::cell::OnceCell::new()],
    })
}

/// [`s3_forms`]: per member of a class, whether it takes the bucket and the object form, and
/// the class narrowed to the members of each form, made on first use (a class of every action
/// has thousands of members, and a search that stops before an S3 resource needs neither).
struct S3Forms {
    flags: Vec<[bool; 2]>,
    built: [std::cell::OnceCell<Option<ActionClass>>; 2],
}

impl S3Forms {
    /// The members of `class` (the class the flags were read from) that take form `n` (0 a
    /// bucket, 1 an object), as a class; `None` when none does.
    fn class(&self, class: &ActionClass, n: usize) -> Option<&ActionClass> {
        self.built[n]
            .get_or_init(|| {
                let members: Vec<String> = class
                    .members
                    .iter()
                    .zip(&self.flags)
                    .filter(|(_, f)| f[n])
                    .map(|(m, _)| m.clone())
                    .collect();
                members.first().cloned().map(|rep| ActionClass {
                    rep: if members.contains(&class.rep) {
                        class.rep.clone()
                    } else {
                        rep
                    },
                    members,
                    sig: class.sig.clone(),
                })
            })
            .as_ref()
    }
}

/// Whether the S3 action `action` takes a bucket ARN and an object ARN ([`s3_forms`]): both
/// for an action the catalog lacks or gives no resource types.
fn s3_takes(action: &str) -> [bool; 2] {
    let Some(a) = catalog::active().action(action) else {
        return [true; 2];
    };
    let types = a.resources();
    ["bucket", "object"]
        .map(|form| types.is_empty() || types.iter().any(|r| r.resource_type.name() == form))
}

/// Whether AWS makes a request for `action` on `arn` as far as [`s3_forms`] goes (false for an
/// S3 bucket action on an object ARN and the reverse).
#[cfg(test)]
pub(crate) fn s3_request_exists(action: &str, arn: &str) -> bool {
    let s3 = action
        .as_bytes()
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"s3:"));
    match s3_form(arn) {
        Some(form) if s3 => s3_takes(action)[form],
        _ => true,
    }
}

/// Which of [`s3_forms`]' shapes `arn` has: 0 a bucket (`arn:PARTITION:s3:::NAME`), 1 an
/// object (a `/` after the bucket name); `None` for any other text.
fn s3_form(arn: &str) -> Option<usize> {
    let mut f = arn.splitn(6, ':');
    let (Some("arn"), Some(p), Some("s3"), Some(""), Some(""), Some(rest)) =
        (f.next(), f.next(), f.next(), f.next(), f.next(), f.next())
    else {
        return None;
    };
    (!p.is_empty()).then_some(usize::from(rest.contains('/')))
}

/// AWS sends the account that owns the resource as `aws:ResourceAccount`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount>),
/// so a request whose resource ARN names an account carries that account or nothing. When every
/// condition on the key compares it with literal accounts (`StringEquals`, `StringNotEquals`,
/// `...IfExists`, `Null`), each literal is a class of its own and the resource atoms are cut
/// by "the ARN's account is this literal" (and by "the account field is empty", and the ARN
/// shape): a witness that gives the key a literal its atom's ARNs never name is no request
/// AWS makes, and is left out. (Other conditions on the key leave it free: answers may then
/// hold requests AWS never makes, false alarms but never a request left out.)
#[derive(Clone, Debug)]
struct ResourceAccountTie {
    /// (literal account, id of the pattern `arn:*:*:*:ACCOUNT:*`)
    literals: Vec<(String, u32)>,
    /// Ids of `arn:*:*:*::*` (no account) and of the ARN shape.
    extra: [u32; 2],
}

/// The one class of a key absent from a request.
const ABSENT: &[KeyClass] = &[None];

/// What the visitor wants next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Continue,
    NextClass,
    Stop,
}

fn stmt_ref(p: &Policy, s: &crate::model::Statement) -> StatementRef {
    StatementRef {
        file: p.source.name.to_string(),
        sid: s.sid.as_ref().map(|x| x.value.clone()),
        line: p.source.line_col(s.span.start).line,
        index: s.index,
        span: s.span,
        source: p.source.clone(),
    }
}

impl Space {
    /// Builds the space of the policies of every side (`sides[i]` lists the policies of side
    /// `i`, synthetic ones included).
    pub fn new(sides: &[Vec<&Policy>], frame: Frame, restrict: &Restrict) -> Space {
        let mut action_pats: Vec<String> = Vec::new();
        let mut res_pats: Vec<(String, Pattern)> = Vec::new();
        let mut key_uses: BTreeMap<String, Vec<KeyUse<'_>>> = BTreeMap::new();
        let mut key_names: BTreeMap<String, String> = BTreeMap::new();
        let mut var_values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        // policy variables in `Resource` items decided exactly: (statement, occurrence)
        let mut r_occ: Vec<(usize, Occurrence)> = Vec::new();
        let unknowns: Vec<Unknown> = Vec::new();
        let mut stmts = Vec::new();
        // (policy text as keys: the seeded hash; the maps are only looked up, never listed)
        let mut a_index: crate::catalog::SeededMap<String, u32> = Default::default();
        let mut intern_a = |pats: &mut Vec<String>, p: &str| -> u32 {
            // (the policies' patterns come lower-cased already: no copy to look them up)
            let l: std::borrow::Cow<'_, str> = if p.bytes().any(|c| c.is_ascii_uppercase()) {
                p.to_ascii_lowercase().into()
            } else {
                p.into()
            };
            // a few patterns (nearly every policy) are searched in order; the index is made
            // once there are more, and then holds every pattern
            if pats.len() <= 16 {
                if let Some(i) = pats.iter().position(|x| *x == *l) {
                    return i as u32;
                }
            } else {
                for (i, x) in pats.iter().enumerate().skip(a_index.len()) {
                    a_index.insert(x.clone(), i as u32);
                }
                if let Some(&i) = a_index.get(&*l) {
                    return i;
                }
            }
            pats.push(l.into_owned());
            (pats.len() - 1) as u32
        };
        let mut r_index: crate::catalog::SeededMap<String, u32> = Default::default();
        let mut intern_r = |pats: &mut Vec<(String, Pattern)>, text: &str| -> Option<u32> {
            if let Some(&i) = r_index.get(text) {
                return Some(i);
            }
            let p = Pattern::arn_resource(text)?;
            pats.push((text.to_string(), p));
            let i = (pats.len() - 1) as u32;
            r_index.insert(text.to_string(), i);
            Some(i)
        };
        let mut contents: crate::catalog::SeededMap<String, u32> = Default::default();
        let mut cond_texts: crate::catalog::SeededMap<String, u32> = Default::default();
        for (side, policies) in sides.iter().enumerate() {
            for (policy, p) in policies.iter().enumerate() {
                let vars = p.variables_enabled();
                for s in &p.statements {
                    let at = stmt_ref(p, s);
                    let mut unknown_here: Vec<String> = Vec::new();
                    let n = contents.len() as u32;
                    let content = *contents.entry(content_key(vars, s)).or_insert(n);
                    let action_ids = s
                        .action
                        .items
                        .iter()
                        .map(|a| intern_a(&mut action_pats, &a.lower))
                        .collect();
                    let mut keys_here: Vec<String> = Vec::new();
                    let stmt_no = stmts.len();
                    let res_ids = s.resource.as_ref().map(|r| {
                        let mut ids = Vec::new();
                        for item in &r.items {
                            // one variable before the fifth colon: IAM reads it as literal
                            // text, and so does the evaluator (no substitution at all)
                            let literal = item.value.matches("${").count() == 1
                                && crate::eval::variable_before_fifth_colon(&item.value);
                            let substituted = vars && item.value.contains("${") && !literal;
                            let exact = if substituted {
                                vars::in_resource(&item.value)
                            } else {
                                Err(String::new())
                            };
                            let why = match exact {
                                Ok(o) => {
                                    // patterns added below, once the variable's values are known
                                    keys_here.push(o.key_lower());
                                    key_names.entry(o.key_lower()).or_insert(o.key.clone());
                                    r_occ.push((stmt_no, o));
                                    continue;
                                }
                                Err(why) => why,
                            };
                            let text = if substituted {
                                if has_char_escape(&item.value) {
                                    let reason = escape_reason(&item.value);
                                    if !unknown_here.contains(&reason) {
                                        unknown_here.push(reason);
                                    }
                                }
                                let (sub, found) = substitute(&item.value);
                                for k in found {
                                    keys_here.push(k.to_ascii_lowercase());
                                    key_names.entry(k.to_ascii_lowercase()).or_insert(k.clone());
                                    var_values
                                        .entry(k.to_ascii_lowercase())
                                        .or_default()
                                        .push(keys::FRESH.into());
                                    // (a key tied to the caller has the caller's value:
                                    // the item then names the caller's own resource, which
                                    // the question leaves out, and no split is needed)
                                    if frame.own_variables
                                        && frame.tied.iter().any(|t| t.0.eq_ignore_ascii_case(&k))
                                    {
                                        continue;
                                    }
                                    let reason = format!(
                                        "the policy variable `${{{k}}}` ties the resource to the context ({why}): the analysis tries the value `{}` and the values the conditions name, which is not proven exhaustive",
                                        keys::FRESH
                                    );
                                    if !unknown_here.contains(&reason) {
                                        unknown_here.push(reason);
                                    }
                                }
                                sub
                            } else {
                                item.value.clone()
                            };
                            if let Some(id) = intern_r(&mut res_pats, &text) {
                                ids.push(id);
                            }
                        }
                        ids
                    });
                    for c in &s.conditions {
                        if vars {
                            // the keys the condition's values read as policy variables
                            for v in &c.values {
                                if has_char_escape(&v.text) {
                                    let reason = escape_reason(&v.text);
                                    if !unknown_here.contains(&reason) {
                                        unknown_here.push(reason);
                                    }
                                }
                                for k in substitute(&v.text).1 {
                                    keys_here.push(k.to_ascii_lowercase());
                                    key_names.entry(k.to_ascii_lowercase()).or_insert(k);
                                }
                            }
                        }
                        keys_here.push(c.key_lower.clone());
                        key_names
                            .entry(c.key_lower.clone())
                            .or_insert(c.key.clone());
                        key_uses
                            .entry(c.key_lower.clone())
                            .or_default()
                            .push(KeyUse {
                                cond: c,
                                variables: vars,
                            });
                    }
                    keys_here.sort();
                    keys_here.dedup();
                    let beyond = !unknown_here.is_empty()
                        && !restrict.resources.is_empty()
                        && s.resource.as_ref().is_some_and(|r| {
                            !r.negated
                                && !r.items.iter().any(|i| {
                                    restrict.resources.iter().any(|q| may_meet(&i.value, q))
                                })
                        });
                    // (a `${` anywhere in the parsed statement, a policy variable or a
                    // literal one, leaves the context search as it is)
                    let plain = !mentions_variable(s);
                    let conds: Option<Rc<[CCondition]>> = if plain {
                        s.conditions
                            .iter()
                            .map(|c| CCondition::compile(c, vars).ok())
                            .collect::<Option<Vec<_>>>()
                            .map(Rc::from)
                    } else {
                        None
                    };
                    // (only statements the folding reads: plain, with conditions)
                    let n_cond = cond_texts.len() as u32;
                    let cond_id = if conds.as_ref().is_none_or(|c| c.is_empty()) {
                        u32::MAX
                    } else {
                        *cond_texts
                            .entry(format!(
                                "{:?}",
                                s.conditions
                                    .iter()
                                    .map(|c| (
                                        &c.op,
                                        &c.key_lower,
                                        c.values.iter().map(|v| &v.text).collect::<Vec<_>>()
                                    ))
                                    .collect::<Vec<_>>()
                            ))
                            .or_insert(n_cond)
                    };
                    stmts.push(Stmt {
                        cond_id,
                        conds,
                        side,
                        effect: s.effect.value,
                        action_ids,
                        action_neg: s.action.negated,
                        res_ids,
                        keys: keys_here,
                        at,
                        policy,
                        content,
                        unknown: unknown_here,
                        res_vars: s.resource.as_ref().is_some_and(|r| {
                            r.items
                                .iter()
                                .any(|i| variable_may_change_s3_form(&i.value))
                        }),
                        beyond,
                        forms: match &s.resource {
                            Some(r) if !r.negated => r.items.iter().fold([false; 2], |acc, i| {
                                let f = item_s3_forms(&i.value);
                                [acc[0] || f[0], acc[1] || f[1]]
                            }),
                            _ => [true; 2],
                        },
                    });
                }
            }
        }
        let restrict_actions: Vec<u32> = restrict
            .actions
            .iter()
            .map(|a| intern_a(&mut action_pats, a))
            .collect();
        // The evaluator reads a resource-based policy as a KMS key policy for `kms:` actions
        // (`eval::is_kms_action`): those must be classes of their own, whatever the patterns.
        if frame.principals.is_some() && frame.fixed_resource.is_none() {
            intern_a(&mut action_pats, "kms:*");
        }
        for a in &frame.action_splits {
            intern_a(&mut action_pats, a);
        }
        let restrict_res = restrict
            .resources
            .iter()
            .filter_map(|r| intern_r(&mut res_pats, r))
            .collect();
        let (keys, var_vals) =
            key_classes(&key_names, key_uses, &var_values, &r_occ, &res_pats, &frame);
        // (after the key classes, which read the policies' own resource patterns only)
        let ra_tie = resource_account_tie(sides, &mut res_pats);
        let s3_ids = ["arn:*:s3:::*", "arn:*:s3:::*/*"].map(|t| {
            let p = Pattern::arn(t).unwrap_or_else(Pattern::arn_shape);
            res_pats.push((t.to_string(), p));
            (res_pats.len() - 1) as u32
        });
        // each `Resource` item with a variable, once per value the variable takes
        for (n, o) in &r_occ {
            let Some(Ok(values)) = var_vals.get(&o.key_lower()) else {
                continue;
            };
            for v in values {
                let Some(p) = vars::resource_pattern(o, v) else {
                    continue;
                };
                let text = format!("{}{v}{}", o.before, o.after);
                let id = match res_pats.iter().position(|x| x.0 == text && x.1 == p) {
                    Some(i) => i as u32,
                    None => {
                        res_pats.push((text, p));
                        (res_pats.len() - 1) as u32
                    }
                };
                if let Some(ids) = stmts[*n].res_ids.as_mut() {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
        }
        // Only literal actions asked about: their classes alone (each literal forms a class of
        // its own, since its pattern matches nothing else), without grouping the catalog.
        let focus: Option<Vec<String>> = (!restrict.actions.is_empty()
            && restrict.actions.iter().all(|a| !a.contains(['*', '?'])))
        .then(|| restrict.actions.clone());
        let mut unknowns = unknowns;
        let actions = match &focus {
            Some(f) => focused_classes(&action_pats, sides, f),
            None => {
                let mut classes = action_classes(&action_pats, sides);
                if let Err(reason) = fresh_action_classes(
                    &action_pats,
                    &restrict_actions,
                    &restrict.actions,
                    &mut classes,
                ) {
                    unknowns.push(Unknown {
                        reason,
                        statements: Vec::new(),
                    });
                }
                classes
            }
        };
        let mut pat_stmts: Vec<Vec<usize>> = vec![Vec::new(); action_pats.len()];
        for (n, st) in stmts.iter().enumerate() {
            for &i in &st.action_ids {
                let list = &mut pat_stmts[i as usize];
                if list.last() != Some(&n) {
                    list.push(n);
                }
            }
        }
        Space {
            pat_stmts,
            actions,
            stmts,
            res_pats,
            keys,
            frame,
            restrict_actions,
            restrict_res,
            unknowns,
            res_cache: HashMap::new(),
            equiv: None,
            ra_tie,
            s3_ids,
            distinct_keys: Vec::new(),
        }
    }

    /// Lets [`Space::search`] skip every action class to which both sides (exactly two)
    /// apply statements of the same meaning: `roles[side][i]` is the role of the `i`-th
    /// policy of `side` (same order as given to [`Space::new`]).
    ///
    /// Why this is exact: the evaluator reads a request's action only to decide which
    /// statements apply (`Action`/`NotAction`) and whether a resource policy is a KMS key
    /// policy (the same for both sides, since the request is the same); everything else it
    /// decides depends on the applying statements' effect, resources, principals and
    /// conditions (with the policy's `Version`, which turns policy variables on), and on the
    /// role of their policy — allows
    /// and denies are unions per role. So when the two sides' applying statements, reduced
    /// to (role, everything but the action), form the same set, every request of the class
    /// gets the same decision from both sides, and the class adds and removes nothing. The
    /// caller must make sure the sides have the same shape (the same roles present: SCPs,
    /// boundary, resource or trust policy), because the evaluator also reads which roles
    /// are present.
    pub(crate) fn skip_equivalent_classes(&mut self, roles: &[Vec<u8>]) {
        if roles.len() != 2 {
            return;
        }
        let keys = self
            .stmts
            .iter()
            .map(|s| {
                let role = roles
                    .get(s.side)
                    .and_then(|r| r.get(s.policy))
                    .copied()
                    .unwrap_or(u8::MAX);
                (role, s.content)
            })
            .collect();
        self.equiv = Some(keys);
    }

    /// Whether [`Space::skip_equivalent_classes`] proves that both sides treat every
    /// request of the class (whose applying statements are `rel`) alike.
    fn sides_equivalent(&self, rel: &[usize]) -> bool {
        let Some(keys) = &self.equiv else {
            return false;
        };
        let mut per: [Vec<(u8, u32)>; 2] = [Vec::new(), Vec::new()];
        for &i in rel {
            let st = &self.stmts[i];
            if st.side > 1 {
                return false;
            }
            per[st.side].push(keys[i]);
        }
        for v in &mut per {
            v.sort_unstable();
            v.dedup();
        }
        per[0] == per[1]
    }

    /// `Request::resource_account` of every witness.
    pub fn resource_account(&self) -> Option<&str> {
        self.frame.resource_account.as_deref()
    }

    /// The statements of `side` (as [`StatementRef`]s).
    pub fn statements(&self, side: usize) -> Vec<StatementRef> {
        self.stmts
            .iter()
            .filter(|s| s.side == side)
            .map(|s| s.at.clone())
            .collect()
    }

    /// The statements whose `Action`/`NotAction` element applies to the class.
    fn applying(&self, class: &ActionClass) -> Vec<usize> {
        let mut hit = vec![false; self.stmts.len()];
        for &p in &class.sig {
            for &n in &self.pat_stmts[p as usize] {
                hit[n] = true;
            }
        }
        (0..self.stmts.len())
            .filter(|&n| hit[n] != self.stmts[n].action_neg)
            .collect()
    }

    fn resources(&mut self, ids: Vec<u32>, service: &str) -> Result<Rc<Vec<String>>, String> {
        if let Some(r) = self.res_cache.get(&ids) {
            return Ok(r.clone());
        }
        // Restricted to literal ARNs: those are the only resources to try (each is the
        // witness of its own atom), no partition needed.
        if !self.restrict_res.is_empty()
            && self
                .restrict_res
                .iter()
                .all(|&i| !self.res_pats[i as usize].0.contains(['*', '?']))
        {
            let mut out: Vec<String> = self
                .restrict_res
                .iter()
                .map(|&i| self.res_pats[i as usize].0.clone())
                .collect();
            out.dedup();
            let out = Rc::new(out);
            self.res_cache.insert(ids, out.clone());
            return Ok(out);
        }
        let mut pats: Vec<Pattern> = ids
            .iter()
            .map(|&i| self.res_pats[i as usize].1.clone())
            .collect();
        // a short item (`arn:aws:ec2:*`) also holds texts that are no ARN, which the
        // evaluator never matches: those must be atoms of their own (appended last, so the
        // indices of `ids` stay those of `pats`)
        if ids
            .iter()
            .any(|&i| is_short_arn(&self.res_pats[i as usize].0))
        {
            pats.push(Pattern::arn_shape());
        }
        let mut preferred: Vec<String> =
            vec![format!("arn:aws:{service}:us-east-1:111122223333:example")];
        preferred.extend(
            ids.iter()
                .filter(|&&i| {
                    let t = &self.res_pats[i as usize].0;
                    t != "*" && t != ARN_SHAPE_TEXT
                })
                .map(|&i| {
                    let text = &self.res_pats[i as usize].0;
                    // the account patterns of `aws:ResourceAccount`: an ARN of the service
                    if let Some(acct) = text
                        .strip_prefix("arn:*:*:*:")
                        .and_then(|t| t.strip_suffix(":*"))
                    {
                        return format!("arn:aws:{service}:us-east-1:{acct}:example");
                    }
                    // a short item: its last `*` stands for the fields it leaves out
                    let text = match text.strip_suffix('*') {
                        Some(head) if is_short_arn(text) => {
                            let fields = ["", "", "", "us-east-1", "111122223333", "example"];
                            let n = text.matches(':').count();
                            let rest: String =
                                fields[n + 1..].iter().map(|f| format!(":{f}")).collect();
                            format!("{head}example{rest}")
                        }
                        _ => text.clone(),
                    };
                    text.replace('*', "example").replace('?', "x")
                }),
        );
        let atoms = automaton::atoms_preferring(&pats, 1, MAX_STATES, &preferred)
            .map_err(|_| "the resource patterns are too many to partition".to_string())?;
        let restricted: Vec<usize> = ids
            .iter()
            .enumerate()
            .filter(|(_, i)| self.restrict_res.contains(i))
            .map(|(n, _)| n)
            .collect();
        let out: Vec<String> = atoms
            .into_iter()
            .filter(|a| self.restrict_res.is_empty() || restricted.iter().any(|&n| a.accepts[n]))
            .map(|a| a.witness)
            .collect();
        let out = Rc::new(out);
        self.res_cache.insert(ids, out.clone());
        Ok(out)
    }

    /// Visits one witness request per combination of classes, action class by action class.
    /// With `target`, classes no `Allow` statement of that side applies to are skipped (no
    /// request in them can be allowed by it). Returns what it could not decide.
    pub fn search<E>(
        &mut self,
        target: Option<usize>,
        mut visit: impl FnMut(&ActionClass, &Request) -> Result<Step, E>,
    ) -> Result<Vec<Unknown>, E> {
        let mut unknowns: Vec<Unknown> = Vec::new();
        let classes = std::mem::take(&mut self.actions);
        let result = (|| {
            'class: for class in &classes {
                if !self.restrict_actions.is_empty()
                    && !self
                        .restrict_actions
                        .iter()
                        .any(|i| class.sig.binary_search(i).is_ok())
                {
                    continue;
                }
                let mut rel: Vec<usize> = self.applying(class);
                rel.retain(|&i| !self.stmts[i].beyond);
                // (S3 actions that take one form only: a statement whose resources are all of
                // the other form never applies to them; red team 47, the IAM guide's home
                // folder policy and `s3:DeleteBucket`)
                if self.frame.fixed_resource.is_none()
                    && let Some(cf) = class_s3_forms(class)
                {
                    // (a statement whose items may name another ARN, `*` or an access
                    // point, is kept whatever the class takes: members that take neither
                    // form, `s3:PutAccessPointPolicy`, act on those; red team 48)
                    rel.retain(|&i| {
                        let f = self.stmts[i].forms;
                        f == [true; 2] || (f[0] && cf[0]) || (f[1] && cf[1])
                    });
                }
                if self.sides_equivalent(&rel) {
                    continue;
                }
                if let Some(t) = target {
                    if !rel
                        .iter()
                        .any(|&i| self.stmts[i].side == t && self.stmts[i].effect == Effect::Allow)
                    {
                        continue;
                    }
                }
                let at: Vec<StatementRef> = rel
                    .iter()
                    .filter(|&&i| target.is_none_or(|t| self.stmts[i].side == t))
                    .map(|&i| self.stmts[i].at.clone())
                    .collect();
                for &i in &rel {
                    for reason in &self.stmts[i].unknown {
                        push_unknown(&mut unknowns, reason.clone(), self.stmts[i].at.clone());
                    }
                }
                // (not where a policy variable names the resource: its values, a tag that
                // may hold `/`, are classes of their own, not cut by the forms; red team 35)
                let forms = if rel.iter().any(|&i| self.stmts[i].res_vars) {
                    None
                } else {
                    s3_forms(class)
                };
                // resources
                let resources: Rc<Vec<String>> = match &self.frame.fixed_resource {
                    Some(r) => Rc::new(vec![r.clone()]),
                    None => {
                        let mut ids: Vec<u32> = rel
                            .iter()
                            .filter_map(|&i| self.stmts[i].res_ids.clone())
                            .flatten()
                            .chain(self.restrict_res.iter().copied())
                            .collect();
                        let reads_ra = rel.iter().any(|&i| {
                            self.stmts[i]
                                .keys
                                .iter()
                                .any(|k| k.eq_ignore_ascii_case("aws:ResourceAccount"))
                        });
                        if let (true, Some(t)) = (reads_ra, &self.ra_tie) {
                            ids.extend(t.literals.iter().map(|(_, i)| *i));
                            ids.extend(t.extra);
                        }
                        if forms.is_some() {
                            ids.extend(self.s3_ids);
                        }
                        ids.sort_unstable();
                        ids.dedup();
                        let service = class.rep.split(':').next().unwrap_or("s3").to_string();
                        match self.resources(ids, &service) {
                            Ok(r) => r,
                            Err(reason) => {
                                push_unknown_all(&mut unknowns, reason, &at);
                                continue 'class;
                            }
                        }
                    }
                };
                // context keys
                let mut key_list: Vec<String> = rel
                    .iter()
                    .flat_map(|&i| self.stmts[i].keys.clone())
                    .collect();
                key_list.sort();
                key_list.dedup();
                let mut dims: Vec<(&str, &Vec<KeyClass>)> = Vec::new();
                for k in &key_list {
                    let Some((name, cls)) = self.keys.get(k) else {
                        continue;
                    };
                    match cls {
                        Ok(c) => dims.push((name.as_str(), c)),
                        // a key tied to the caller takes the caller's values (below)
                        Err(reason)
                            if self.frame.own_variables
                                && reason.ends_with(TIED_TO_CALLER)
                                && self.frame.tied.iter().any(|t| t.0.eq_ignore_ascii_case(k)) => {}
                        Err(reason) => {
                            push_unknown_all(&mut unknowns, reason.clone(), &at);
                            continue 'class;
                        }
                    }
                }
                let principals: Vec<Option<Principal>> = match &self.frame.principals {
                    Some(p) => p.iter().cloned().map(Some).collect(),
                    None => vec![None],
                };
                let mut total: u64 =
                    (resources.len() as u64).saturating_mul(principals.len() as u64);
                for (_, c) in &dims {
                    total = total.saturating_mul(c.len() as u64);
                }
                // (every statement about the class reads the context through its conditions
                // only: the combinations the statements tell apart are searched instead of
                // every combination, [`merged_combos`])
                let mergeable = rel.iter().all(|&i| self.stmts[i].conds.is_some());
                if total > MAX_COMBOS && !mergeable {
                    push_unknown_all(&mut unknowns, too_many(&class.rep, total), &at);
                    continue;
                }
                for (pi, p) in principals.iter().enumerate() {
                    let mut all: Vec<(&str, &[KeyClass])> = dims
                        .iter()
                        .filter(|(n, _)| {
                            !self.frame.tied.iter().any(|t| t.0.eq_ignore_ascii_case(n))
                        })
                        .map(|(n, c)| (*n, c.as_slice()))
                        .collect();
                    for (k, per) in &self.frame.tied {
                        if !key_list.contains(&k.to_ascii_lowercase()) {
                            continue;
                        }
                        // `kms:CallerAccount` is in KMS requests only (AWS KMS developer
                        // guide, <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account>)
                        if k.eq_ignore_ascii_case("kms:CallerAccount")
                            && !class
                                .rep
                                .split_once(':')
                                .is_some_and(|(s, _)| s.eq_ignore_ascii_case("kms"))
                        {
                            all.push((k.as_str(), ABSENT));
                            continue;
                        }
                        match per.get(pi) {
                            // no classes for this caller: the key is free for it (the
                            // classes every other key gets)
                            Some(c) if c.is_empty() => {
                                if let Some((n, free)) =
                                    dims.iter().find(|(n, _)| n.eq_ignore_ascii_case(k))
                                {
                                    all.push((*n, free.as_slice()));
                                }
                            }
                            Some(c) => all.push((k.as_str(), c.as_slice())),
                            None => {}
                        }
                    }
                    let resource_account = all
                        .iter()
                        .position(|(n, _)| n.eq_ignore_ascii_case("aws:ResourceAccount"));
                    // every resource of the action names an account (its service's ARN
                    // formats all have one, and it takes resources)
                    let accountful = resource_account.is_some()
                        && crate::catalog::active()
                            .action(&class.rep)
                            .is_some_and(|a| a.supports_resource_level())
                        && class.rep.split_once(':').is_some_and(|(svc, _)| {
                            crate::lint::util::arn_shape(svc).is_some_and(|s| s.all_account)
                        });
                    // the combinations to visit: those the statements tell apart, or every
                    // one (in mixed-radix order)
                    let merged: Option<Vec<Vec<usize>>> =
                        if mergeable && resource_account.is_none() && total > MERGE_FROM {
                            // (statements with the same conditions: once)
                            let mut ids: Vec<u32> = Vec::new();
                            let conds: Vec<&[CCondition]> = rel
                                .iter()
                                .filter(|&&i| {
                                    let id = self.stmts[i].cond_id;
                                    !ids.contains(&id) && {
                                        ids.push(id);
                                        true
                                    }
                                })
                                .filter_map(|&i| self.stmts[i].conds.as_deref())
                                .collect();
                            merged_combos(&conds, &all, &self.distinct_keys)
                        } else {
                            None
                        };
                    if merged.is_none() && total > MAX_COMBOS {
                        push_unknown_all(&mut unknowns, too_many(&class.rep, total), &at);
                        continue 'class;
                    }
                    let mut next_merged = 0usize;
                    let mut idx = vec![0usize; all.len()];
                    loop {
                        if let Some(m) = &merged {
                            match m.get(next_merged) {
                                Some(x) => idx.clone_from(x),
                                None => break,
                            }
                            next_merged += 1;
                        }
                        let mut ctx = Context::new();
                        for (d, &i) in all.iter().zip(&idx) {
                            if let Some(v) = &d.1[i] {
                                ctx.set(d.0, v.clone());
                            }
                        }
                        // the literal account `aws:ResourceAccount` holds, tied to the ARN
                        let literal: Option<u32> = match (resource_account, &self.ra_tie) {
                            (Some(d), Some(t)) if self.frame.fixed_resource.is_none() => {
                                match all[d].1[idx[d]].as_deref() {
                                    Some([v]) => {
                                        t.literals.iter().find(|(l, _)| l == v).map(|(_, i)| *i)
                                    }
                                    _ => None,
                                }
                            }
                            _ => None,
                        };
                        for r in resources.iter() {
                            if let (Some(lit), Some(t)) = (literal, &self.ra_tie) {
                                let pat = |i: u32| &self.res_pats[i as usize].1;
                                // an ARN (the atom's texts all are, or none) naming an
                                // account (all of them do, or none) other than the literal
                                // (none of them names it), or naming none where every
                                // resource of the action names one: no such request
                                let named = !automaton::matches(pat(t.extra[0]), r);
                                if automaton::matches(pat(t.extra[1]), r)
                                    && if named {
                                        !automaton::matches(pat(lit), r)
                                    } else {
                                        accountful
                                    }
                                {
                                    continue;
                                }
                            }
                            // an S3 bucket or object ARN: the members that take it
                            let cls = match (&forms, s3_form(r)) {
                                (Some(f), Some(form)) => match f.class(class, form) {
                                    Some(c) => c,
                                    None => continue,
                                },
                                _ => class,
                            };
                            let req = Request {
                                action: cls.rep.clone(),
                                resource: r.clone(),
                                principal: p.clone(),
                                resource_account: self.frame.resource_account.clone(),
                                context: ctx.clone(),
                            };
                            match visit(cls, &req)? {
                                Step::Continue => {}
                                Step::NextClass => continue 'class,
                                Step::Stop => break 'class,
                            }
                        }
                        if merged.is_some() {
                            continue;
                        }
                        // next combination (mixed radix)
                        let mut d = 0;
                        let done = loop {
                            if d == all.len() {
                                break true;
                            }
                            idx[d] += 1;
                            if idx[d] < all[d].1.len() {
                                break false;
                            }
                            idx[d] = 0;
                            d += 1;
                        };
                        if done {
                            break;
                        }
                    }
                }
            }
            Ok(())
        })();
        self.actions = classes;
        result.map(|()| unknowns)
    }
}

/// Why an action group is not searched: more witness requests than [`MAX_COMBOS`].
fn too_many(rep: &str, total: u64) -> String {
    format!("`{rep}` and its group need {total} witness requests (more than {MAX_COMBOS})")
}

/// [`merged_combos`]'s key: the statements whose conditions all hold (bits), those with a
/// condition the evaluator cannot read, and the class of each distinct key.
type Outcomes = (u128, u128, Vec<usize>);

/// The combinations of context classes (one class index per dimension of `dims`) that the
/// statements' conditions tell apart, one per distinct outcome, for statements whose only
/// reading of the context is their conditions (`conds`, one list per statement; no policy
/// variable anywhere). The evaluator decides a request from which statements apply, and
/// whether a statement applies depends on the context only through whether each of its
/// conditions holds (or cannot be read), each condition through its own key: two contexts
/// under which every condition of every statement comes out the same are decided alike. So
/// the dimensions are folded in one at a time, keeping one combination per vector of
/// statement outcomes (statements with conditions as bits: all conditions hold; a condition
/// the evaluator cannot read), instead of every combination: 20 statements reading 10 keys
/// with 4 classes each are a few hundred requests, not a million. The classes of
/// `distinct` keys are all kept apart. `None` (every combination is visited, as before) when
/// there are more than 128 distinct conditions blocks or more than [`MAX_MERGED`] outcomes.
fn merged_combos(
    conds: &[&[CCondition]],
    dims: &[(&str, &[KeyClass])],
    distinct: &[String],
) -> Option<Vec<Vec<usize>>> {
    let with: Vec<&[CCondition]> = conds.iter().copied().filter(|c| !c.is_empty()).collect();
    if with.len() > 128 {
        return None;
    }
    let lower: Vec<String> = dims.iter().map(|d| d.0.to_ascii_lowercase()).collect();
    let all_bits: u128 = if with.len() == 128 {
        u128::MAX
    } else {
        (1u128 << with.len()) - 1
    };
    // (holds, cannot be read) of every statement for one key's class
    let outcome = |key: Option<(&str, &str, &KeyClass)>| -> (u128, u128) {
        let mut holds = all_bits;
        let mut unread = 0u128;
        let mut ctx = Context::new();
        if let Some((name, _, Some(v))) = key {
            ctx.set(name, v.clone());
        }
        for (b, cs) in with.iter().enumerate() {
            for c in cs.iter() {
                let mine = match key {
                    Some((_, l, _)) => *c.key_lower == *l,
                    // (the base: conditions on keys no dimension sets, which are absent)
                    None => !lower.iter().any(|l| *c.key_lower == **l),
                };
                if !mine {
                    continue;
                }
                match c.eval(&ctx) {
                    Ok(true) => {}
                    Ok(false) => holds &= !(1u128 << b),
                    Err(_) => unread |= 1u128 << b,
                }
            }
        }
        (holds, unread)
    };
    let base = outcome(None);
    // (statement outcomes, classes of the distinct keys) → the combination kept
    let mut states: Vec<(Outcomes, Vec<usize>)> =
        vec![((base.0, base.1, Vec::new()), vec![0; dims.len()])];
    for (d, (name, classes)) in dims.iter().enumerate() {
        let keep = distinct.iter().any(|k| *k == lower[d]);
        let per: Vec<(u128, u128)> = classes
            .iter()
            .map(|c| outcome(Some((name, &lower[d], c))))
            .collect();
        // (a key no condition tells apart: its first class stands for all)
        if !keep && per.iter().all(|x| *x == per[0]) {
            for (sig, _) in &mut states {
                sig.0 &= per[0].0;
                sig.1 |= per[0].1;
            }
            continue;
        }
        let mut seen: std::collections::HashSet<Outcomes> = Default::default();
        let mut next: Vec<(Outcomes, Vec<usize>)> = Vec::new();
        for (sig, idx) in &states {
            for (j, (h, u)) in per.iter().enumerate() {
                let mut kept = sig.2.clone();
                if keep {
                    kept.push(j);
                }
                let key = (sig.0 & h, sig.1 | u, kept);
                if seen.insert(key.clone()) {
                    let mut i = idx.clone();
                    i[d] = j;
                    next.push((key, i));
                    if next.len() > MAX_MERGED {
                        return None;
                    }
                }
            }
        }
        states = next;
    }
    Some(states.into_iter().map(|(_, i)| i).collect())
}

/// The text of the ARN-shape pattern [`ResourceAccountTie`] cuts the atoms by (no witness).
const ARN_SHAPE_TEXT: &str = "(ARN shape)";

/// [`ResourceAccountTie`] for the policies of `sides`, its patterns added to `res_pats`;
/// `None` when a condition reads `aws:ResourceAccount` otherwise than against literal accounts.
fn resource_account_tie(
    sides: &[Vec<&Policy>],
    res_pats: &mut Vec<(String, Pattern)>,
) -> Option<ResourceAccountTie> {
    use crate::model::OpBase;
    let mut literals: Vec<String> = Vec::new();
    for p in sides.iter().flatten() {
        for s in &p.statements {
            for c in s
                .conditions
                .iter()
                .filter(|c| c.key_lower == "aws:resourceaccount")
            {
                match (c.op.qualifier, c.op.base) {
                    (_, OpBase::Null) => {}
                    (None, OpBase::StringEquals | OpBase::StringNotEquals) => {
                        for v in &c.values {
                            if v.text.is_empty() || v.text.contains([':', '*', '?', '$']) {
                                return None;
                            }
                            if !literals.contains(&v.text) {
                                literals.push(v.text.clone());
                            }
                        }
                    }
                    _ => return None,
                }
            }
        }
    }
    if literals.is_empty() {
        return None;
    }
    let mut add = |text: String, p: Pattern| -> u32 {
        res_pats.push((text, p));
        (res_pats.len() - 1) as u32
    };
    let literals = literals
        .into_iter()
        .filter_map(|l| {
            let text = format!("arn:*:*:*:{l}:*");
            let p = Pattern::arn(&text)?;
            Some((l, add(text, p)))
        })
        .collect();
    let none = Pattern::arn("arn:*:*:*::*")?;
    let extra = [
        add("arn:*:*:*::*".into(), none),
        add(ARN_SHAPE_TEXT.into(), Pattern::arn_shape()),
    ];
    Some(ResourceAccountTie { literals, extra })
}

/// Whether a statement belongs to a policy the analysis makes up (the caller's identity
/// policies that allow everything, an organization's `FullAWSAccess`): an open question is
/// located at the user's own statements, never there (red team 36: a `verify` unknown pointed
/// CI annotations at `(any identity policy)`).
fn made_up(at: &StatementRef) -> bool {
    [
        super::ANY_IDENTITY_POLICY,
        super::OTHER_IDENTITY_POLICIES,
        super::FULL_AWS_ACCESS,
    ]
    .contains(&&*at.file)
}

fn push_unknown(list: &mut Vec<Unknown>, reason: String, at: StatementRef) {
    if made_up(&at) {
        if !list.iter().any(|u| u.reason == reason) {
            list.push(Unknown {
                reason,
                statements: Vec::new(),
            });
        }
        return;
    }
    match list.iter_mut().find(|u| u.reason == reason) {
        Some(u) => {
            if !u.statements.contains(&at) {
                u.statements.push(at);
            }
        }
        None => list.push(Unknown {
            reason,
            statements: vec![at],
        }),
    }
}

fn push_unknown_all(list: &mut Vec<Unknown>, reason: String, at: &[StatementRef]) {
    if at.is_empty() {
        if !list.iter().any(|u| u.reason == reason) {
            list.push(Unknown {
                reason,
                statements: Vec::new(),
            });
        }
        return;
    }
    for a in at {
        push_unknown(list, reason.clone(), a.clone());
    }
}

/// Each context key (lower-case): its name as written, and its classes or why it has none.
type KeyTable = BTreeMap<String, (String, Result<Vec<KeyClass>, String>)>;

/// Whether a `Resource` item is an ARN with fewer than six fields (its last ends in `*`).
fn is_short_arn(text: &str) -> bool {
    text != "*" && text.matches(':').count() < 5
}

/// The classes of every context key, and the values chosen for the policy-variable keys
/// ([`super::vars`] explains the choice and when it is exact).
fn key_classes(
    key_names: &BTreeMap<String, String>,
    mut key_uses: BTreeMap<String, Vec<KeyUse<'_>>>,
    fresh: &BTreeMap<String, Vec<String>>,
    r_occ: &[(usize, Occurrence)],
    res_pats: &[(String, Pattern)],
    frame: &Frame,
) -> (KeyTable, VarValues) {
    let tied = |k: &str| frame.tied.iter().any(|t| t.0.eq_ignore_ascii_case(k));
    // languages each variable key's values must split, and keys not decided
    let mut langs: BTreeMap<String, Vec<Lang>> = BTreeMap::new();
    let mut key_err: BTreeMap<String, String> = BTreeMap::new();
    // the resource dimension
    // (a key tied to the caller takes the caller's values, not classes of its own: its
    // resource items need no split of its values, and add no resource of their own, so a
    // request on the caller's own resource is one the question leaves out)
    let occ: Vec<&Occurrence> = r_occ
        .iter()
        .map(|(_, o)| o)
        .filter(|o| !(frame.own_variables && tied(&o.key_lower())))
        .collect();
    let field_len = |o: &Occurrence| vars::resource_field(&o.before).map_or(0, str::len);
    // A short item (`arn:aws:s3:*x*`) reads the resource field through a last field that
    // starts before it: its answer on `before${var}after` can depend on the variable's
    // value in a way the field quotients below do not see. Exact only when that last field
    // is a lone `*` (a prefix of the first fields, which hold no variable).
    let short_reads_field = res_pats
        .iter()
        .any(|(t, _)| is_short_arn(t) && t.rsplit(':').next().is_some_and(|last| last != "*"));
    if short_reads_field && !occ.is_empty() {
        for o in &occ {
            key_err.insert(
                o.key_lower(),
                "a resource with a policy variable is compared with an ARN of fewer than six fields"
                    .to_string(),
            );
        }
    } else if vars::aligned(&occ, field_len) {
        let fields: Vec<Pattern> = res_pats
            .iter()
            .filter(|(t, _)| t != "*")
            .filter_map(|(t, _)| vars::resource_field(t))
            .map(|f| Pattern::string(f, true, false))
            .collect();
        for o in &occ {
            let l = langs.entry(o.key_lower()).or_default();
            vars::quotients(o, vars::resource_field(&o.before).unwrap_or(""), &fields, l);
        }
    } else {
        for o in &occ {
            key_err.insert(
                o.key_lower(),
                "the resources are compared with several policy variables, or with texts of different lengths before one"
                    .to_string(),
            );
        }
    }
    // each key whose condition values read a variable
    for (j, uses) in &key_uses {
        let mut occ: Vec<Occurrence> = Vec::new();
        let mut plain: Vec<Pattern> = Vec::new();
        let mut err: Option<String> = None;
        for u in uses {
            if u.cond.op.base == crate::model::OpBase::Null {
                continue;
            }
            for v in &u.cond.values {
                match keys::value_var(u, &v.text) {
                    Ok(Some(o)) => occ.push(o),
                    // a value that is no pattern: `keys::classes` says why the key is undecided
                    Ok(None) => {
                        if let Ok(p) = keys::value_pattern(u.cond.op.base, &v.text) {
                            if u.cond.op.base.family() == crate::model::OpFamily::Arn
                                && !plain.contains(&Pattern::arn_shape())
                            {
                                plain.push(Pattern::arn_shape());
                            }
                            plain.push(p);
                        }
                    }
                    Err(e) => err = Some(e),
                }
            }
        }
        if occ.is_empty() || err.is_some() {
            continue;
        }
        let refs: Vec<&Occurrence> = occ.iter().collect();
        if tied(j) || !vars::aligned(&refs, |o| o.before.len()) {
            key_err.insert(
                j.clone(),
                format!(
                    "the values of `{}` are compared with several policy variables, or with texts of different lengths before one",
                    key_names.get(j).map_or(j.as_str(), String::as_str)
                ),
            );
            continue;
        }
        for o in &occ {
            let l = langs.entry(o.key_lower()).or_default();
            vars::quotients(o, &o.before, &plain, l);
        }
    }
    // the values of every variable key
    let mut var_vals: VarValues = BTreeMap::new();
    let mut out = BTreeMap::new();
    let none = VarValues::new();
    for (k, l) in &langs {
        let uses = key_uses.get(k).cloned().unwrap_or_default();
        let mut extra = fresh.get(k).cloned().unwrap_or_default();
        // a value that reads like a name, where the class allows it
        extra.push(keys::FRESH.to_string());
        let cls = match key_err.get(k) {
            Some(e) => Err(e.clone()),
            None if tied(k) => Err(format!(
                "the policy variable `${{{}}}`{TIED_TO_CALLER}",
                key_names.get(k).map_or(k.as_str(), String::as_str)
            )),
            None if key_uses.get(k).is_some_and(|us| {
                us.iter()
                    .any(|u| u.cond.values.iter().any(|v| v.text.contains("${")) && u.variables)
            }) =>
            {
                Err(format!(
                    "`{}` is a policy variable and is compared with one",
                    key_names.get(k).map_or(k.as_str(), String::as_str)
                ))
            }
            None => keys::classes(&uses, &extra, Some(l), &none),
        };
        // A key tied to the caller has the caller's own values (`lint`'s questions,
        // [`Frame::own_variables`], [`Frame::tied`]): the keys whose
        // conditions compare with it take those values as classes of their own
        // (`aws:ResourceAccount` = `${aws:PrincipalAccount}`). Its own classes stay an error
        // (the search gives it the caller's values), but an error here made every key compared
        // with it undecided, and that reason, ending as the tied key's does, was dropped as
        // answered: the requests where they are equal were never tried (a false "not granted").
        let tied_values: Option<Vec<String>> =
            (frame.own_variables && !key_err.contains_key(k) && tied(k)).then(|| {
                let mut v: Vec<String> = Vec::new();
                for t in frame.tied.iter().filter(|t| t.0.eq_ignore_ascii_case(k)) {
                    for x in t.1.iter().flatten().flatten().flatten() {
                        if !v.contains(x) {
                            v.push(x.clone());
                        }
                    }
                }
                v
            });
        var_vals.insert(
            k.clone(),
            match tied_values {
                Some(v) => Ok(v),
                None => cls
                    .clone()
                    .map(|c| c.into_iter().flatten().flatten().collect()),
            },
        );
        let name = key_names.get(k).cloned().unwrap_or_else(|| k.clone());
        // absent last: the first example found then shows the variable with a value
        let cls = cls.map(|mut c| {
            c.rotate_left(1);
            c
        });
        out.insert(k.clone(), (name, cls));
    }
    for (k, name) in key_names {
        if out.contains_key(k) {
            continue;
        }
        let uses = key_uses.remove(k).unwrap_or_default();
        let extra = fresh.get(k).cloned().unwrap_or_default();
        let cls = match key_err.get(k) {
            Some(e) => Err(e.clone()),
            None => keys::classes(&uses, &extra, None, &var_vals),
        };
        out.insert(k.clone(), (name.clone(), cls));
    }
    (out, var_vals)
}

/// What a statement means apart from its action, as an injective text (every part is
/// written with its length): the policy's `Version` (policy variables on or off), effect,
/// `Resource`/`NotResource`, `Principal`/`NotPrincipal` and the conditions. Lists whose order
/// the evaluator ignores (resources, principals, condition values, the conditions) are
/// sorted, so a rewrite that reorders them keeps its key.
fn content_key(vars: bool, s: &crate::model::Statement) -> String {
    use crate::model::PrincipalValue;
    fn put(out: &mut String, text: &str) {
        out.push_str(&text.len().to_string());
        out.push(':');
        out.push_str(text);
    }
    fn put_list(out: &mut String, mut items: Vec<String>) {
        items.sort();
        items.dedup();
        out.push_str(&items.len().to_string());
        out.push('[');
        for i in &items {
            put(out, i);
        }
    }
    let mut k = String::new();
    k.push(if vars { 'V' } else { 'v' });
    k.push(match s.effect.value {
        Effect::Allow => 'A',
        Effect::Deny => 'D',
    });
    match &s.resource {
        None => k.push('-'),
        Some(r) => {
            k.push(if r.negated { 'N' } else { 'R' });
            put_list(&mut k, r.items.iter().map(|i| i.value.clone()).collect());
        }
    }
    match &s.principal {
        None => k.push('-'),
        Some(p) => {
            k.push(if p.negated { 'N' } else { 'P' });
            match &p.value {
                PrincipalValue::Star => k.push('*'),
                PrincipalValue::Map(entries) => {
                    let mut e: Vec<String> = Vec::new();
                    for en in entries {
                        let mut one = String::new();
                        put(&mut one, en.kind.as_str());
                        put_list(
                            &mut one,
                            en.values.iter().map(|v| v.value.clone()).collect(),
                        );
                        e.push(one);
                    }
                    k.push('{');
                    put_list(&mut k, e);
                }
            }
        }
    }
    let conds: Vec<String> = s
        .conditions
        .iter()
        .map(|c| {
            let mut one = String::new();
            put(&mut one, &c.op.name());
            put(&mut one, &c.key_lower);
            put_list(
                &mut one,
                c.values
                    .iter()
                    .map(|v| format!("{:?}{}", v.json_type, v.text))
                    .collect(),
            );
            one
        })
        .collect();
    k.push('C');
    put_list(&mut k, conds);
    k
}

/// Whether the text holds `${*}` or `${?}`: IAM reads them as the literal characters
/// (policy variables, "Special characters"), which the analysis' patterns, where `*` and `?`
/// are wildcards, cannot hold. The statement is then left `unknown`, never read as a
/// wildcard (a false "nothing is granted") nor dropped.
fn has_char_escape(text: &str) -> bool {
    text.contains("${*}") || text.contains("${?}")
}

fn escape_reason(text: &str) -> String {
    format!(
        "`{text}` holds `${{*}}` or `${{?}}`, a literal `*` or `?` (IAM policy variables, special characters), which the analysis does not represent"
    )
}

/// Replaces each policy variable by [`keys::FRESH`] (or its default), returning the keys read.
fn substitute(text: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let Some(close) = rest[i..].find('}') else {
            out.push_str(&rest[i..]);
            return (out, keys);
        };
        let inner = &rest[i + 2..i + close];
        match inner {
            "*" | "?" | "$" => out.push_str(inner),
            _ => {
                let key = inner.split(',').next().unwrap_or(inner).trim();
                keys.push(key.to_string());
                out.push_str(keys::FRESH);
            }
        }
        rest = &rest[i + close + 1..];
    }
    out.push_str(rest);
    (out, keys)
}

/// Every catalog action: (lower-case name, catalog spelling) sorted by catalog spelling, and
/// the position of each lower-case name.
#[derive(Clone)]
struct Names {
    list: Vec<(&'static str, String)>,
    /// (catalog names: the unkeyed hash is safe)
    index: HashMap<&'static str, usize, crate::catalog::FxBuild>,
    /// The position in `list` of each catalog action, by [`catalog::Action::index`]: an
    /// expansion's actions placed without hashing their names (`*` is every action).
    by_index: Vec<u32>,
}

/// The catalog's [`Names`], read once for the first catalog asked about (the active one, in
/// the CLI).
fn catalog_names(cat: &'static catalog::Catalog) -> std::borrow::Cow<'static, Names> {
    static NAMES: std::sync::OnceLock<(usize, Names)> = std::sync::OnceLock::new();
    let read = || -> Names {
        // (the full name as [`catalog::Action::full_name`] spells it, without `format!`: this
        // runs over every catalog action)
        let full_name = |a: catalog::Action<'static>| {
            let (svc, name) = (a.service().name(), a.name());
            let mut full = String::with_capacity(svc.len() + 1 + name.len());
            full.push_str(svc);
            full.push(':');
            full.push_str(name);
            (a.lowercase_name(), full)
        };
        // The catalog lists each service's actions together: the services ordered by
        // `service:`, each one's actions sorted, is the sorted list (checked below, else the
        // whole list is sorted), without sorting the whole catalog's names by comparison.
        let mut services: Vec<(String, catalog::Service<'static>)> = cat
            .services()
            .map(|s| (format!("{}:", s.name()), s))
            .collect();
        services.sort_by(|a, b| a.0.cmp(&b.0));
        let n = cat.actions().count();
        let mut list: Vec<(&'static str, String)> = Vec::with_capacity(n);
        for (_, s) in &services {
            let from = list.len();
            list.extend(s.actions().map(full_name));
            // (the catalog sorts by lower-case name: a few names of a service may move)
            list[from..].sort_by(|a, b| a.1.cmp(&b.1));
        }
        // (a stable sort keeps equal names in catalog order, as the per-service stable sorts
        // do: an ordered list made so is that same list)
        if list.len() != n || !list.is_sorted_by(|a, b| a.1 <= b.1) {
            list = cat.actions().map(full_name).collect();
            list.sort_by(|a, b| a.1.cmp(&b.1));
        }
        let index: HashMap<&'static str, usize, crate::catalog::FxBuild> =
            list.iter().enumerate().map(|(i, (l, _))| (*l, i)).collect();
        let by_index = cat
            .actions()
            .map(|a| {
                index
                    .get(a.lowercase_name())
                    .map_or(u32::MAX, |&k| k as u32)
            })
            .collect();
        Names {
            list,
            index,
            by_index,
        }
    };
    let at = std::ptr::from_ref(cat) as usize;
    let cached = NAMES.get_or_init(|| (at, read()));
    if cached.0 == at {
        std::borrow::Cow::Borrowed(&cached.1)
    } else {
        std::borrow::Cow::Owned(read())
    }
}

/// The classes of the literal actions `focus` (lower case) only: those the catalog lists or a
/// policy names, each with the action patterns that match it. The same classes as
/// [`action_classes`] gives for them, since each is matched by its own literal pattern.
fn focused_classes(
    patterns: &[String],
    sides: &[Vec<&Policy>],
    focus: &[String],
) -> Vec<ActionClass> {
    let cat = catalog::active();
    // the policies' own spelling of the literal actions, read only for an asked action the
    // catalog does not list
    let mut named: Option<BTreeMap<String, String>> = None;
    let read_named = || {
        let mut named: BTreeMap<String, String> = BTreeMap::new();
        for policies in sides {
            for p in policies {
                for s in &p.statements {
                    for a in &s.action.items {
                        if !a.has_wildcard() && a.lower.contains(':') {
                            named.entry(a.lower.clone()).or_insert(a.text.clone());
                        }
                    }
                }
            }
        }
        named
    };
    // (a wildcard pattern matched with [`glob_ci`], which answers as the automaton of
    // `Pattern::string(p, true, true)` does, without building it or stepping it character
    // by character)
    let wild: Vec<bool> = patterns.iter().map(|p| p.contains(['*', '?'])).collect();
    let mut out: Vec<ActionClass> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for asked in focus {
        let l = asked.to_ascii_lowercase();
        if seen.contains(&l) {
            continue;
        }
        // An action neither the catalog nor a policy names is still a request the evaluator
        // decides (a wildcard `Allow` matches it): it is a class of its own.
        let name = match cat.action(&l) {
            Some(a) => a.full_name(),
            None => named
                .get_or_insert_with(read_named)
                .get(&l)
                .cloned()
                .unwrap_or_else(|| asked.clone()),
        };
        seen.push(l.clone());
        let l = &l;
        let sig: Vec<u32> = patterns
            .iter()
            .zip(&wild)
            .enumerate()
            .filter(|(_, (p, w))| if **w { glob_ci(p, l) } else { *p == l })
            .map(|(i, _)| i as u32)
            .collect();
        out.push(ActionClass {
            rep: name.clone(),
            members: vec![name],
            sig,
        });
    }
    out
}

/// Adds a class for each atom of the action patterns that an asserted pattern (`restrict`,
/// indices into `patterns`) matches and no class holds yet: the actions such a pattern matches
/// that neither the catalog nor a policy names (`s3:GetFoo*` when the catalog has no such
/// action) are requests too, and a wildcard `Allow` can grant them. Each new class is
/// represented by a fresh action name of its atom.
fn fresh_action_classes(
    patterns: &[String],
    restrict: &[u32],
    asked: &[String],
    classes: &mut Vec<ActionClass>,
) -> Result<(), String> {
    if restrict.is_empty() {
        return Ok(());
    }
    // Only the patterns that can share a name with an asserted one take part (a pattern whose
    // text before its first wildcard neither starts nor is started by an asserted pattern's
    // matches none of the names it matches): the others are false on every atom kept.
    let prefix = |p: &str| -> String {
        p.split(['*', '?'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let asked_prefixes: Vec<String> = restrict
        .iter()
        .filter_map(|&i| patterns.get(i as usize))
        .map(|p| prefix(p))
        .collect();
    let part: Vec<u32> = (0..patterns.len() as u32)
        .filter(|&i| {
            let p = prefix(&patterns[i as usize]);
            asked_prefixes
                .iter()
                .any(|a| a.starts_with(&p) || p.starts_with(a.as_str()))
        })
        .collect();
    let pats: Vec<Pattern> = part
        .iter()
        .map(|&i| Pattern::string(&patterns[i as usize], true, true))
        .collect();
    // names that read like actions: each asserted pattern with its wildcards filled in
    let preferred: Vec<String> = asked
        .iter()
        .map(|p| p.replace('*', "Example").replace('?', "X"))
        .collect();
    let atoms = automaton::atoms_preferring(&pats, 1, MAX_STATES, &preferred).map_err(|_| {
        "the action patterns are too complex to find the actions an asserted pattern matches beyond the catalog"
            .to_string()
    })?;
    let mut known: Vec<Vec<u32>> = classes.iter().map(|c| c.sig.clone()).collect();
    for a in atoms {
        let sig: Vec<u32> = part
            .iter()
            .zip(&a.accepts)
            .filter(|(_, acc)| **acc)
            .map(|(&i, _)| i)
            .collect();
        if !restrict.iter().any(|i| sig.binary_search(i).is_ok()) || known.contains(&sig) {
            continue;
        }
        known.push(sig.clone());
        classes.push(ActionClass {
            rep: a.witness.clone(),
            members: vec![a.witness],
            sig,
        });
    }
    Ok(())
}

/// Does the glob `p` (`*` any run of characters, `?` one character, ASCII letters in any case)
/// match `t`? What [`automaton::matches`] answers for `Pattern::string(p, true, true)`,
/// without building the automaton: the backtracking match of the last `*` is exact for
/// these globs.
fn glob_ci(p: &str, t: &str) -> bool {
    // (ASCII text: its bytes are its characters, no copy needed)
    if p.is_ascii() && t.is_ascii() {
        return crate::catalog::glob::glob_with(p.as_bytes(), t.as_bytes(), b'*', b'?', |a, b| {
            a.eq_ignore_ascii_case(&b)
        });
    }
    let p: Vec<char> = p.chars().collect();
    let t: Vec<char> = t.chars().collect();
    crate::catalog::glob::glob_with(&p, &t, '*', '?', |a, b| a.eq_ignore_ascii_case(&b))
}

/// An action name that the action pattern `p` matches, for a pattern that matches no catalog
/// action: each `*` filled with `NewerThanCatalog`, each `?` with `Q` (a pattern without `:`
/// gets one in its first `*`). `None` when that is no `service:action` name or does not match
/// `p`. (A filler no policy is likely to write: a name a policy writes literally, or another
/// pattern matches, would share the made-up action's class; red team 72 made `Deny zzz:Get*`
/// and `Deny zzz:GetExample` look alike with the filler `Example`.)
fn pattern_witness(p: &str) -> Option<String> {
    let mut w = p.replace('?', "Q");
    if !w.contains(':') {
        w = w.replacen('*', "newerthancatalog:NewerThanCatalog", 1);
    }
    let w = w.replace('*', "NewerThanCatalog");
    let ok = w.matches(':').count() == 1
        && !w.starts_with(':')
        && !w.ends_with(':')
        && glob_ci(&p.to_ascii_lowercase(), &w.to_ascii_lowercase());
    ok.then_some(w)
}

/// Groups the catalog's actions (and the literal actions the policies name that the catalog
/// lacks, and a made-up action for each pattern that matches no catalog action) by the set of
/// action patterns that match them.
fn action_classes(patterns: &[String], sides: &[Vec<&Policy>]) -> Vec<ActionClass> {
    let cat = catalog::active();
    let names = catalog_names(cat);
    let mut extras: BTreeMap<String, String> = BTreeMap::new();
    let mut wild_seen: std::collections::HashSet<&str> = Default::default();
    // made-up name → the pattern it stands for
    let mut witness_of: HashMap<String, String> = HashMap::new();
    for policies in sides {
        for p in policies {
            for s in &p.statements {
                for a in &s.action.items {
                    if !a.has_wildcard() {
                        if a.lower.contains(':') && !names.index.contains_key(a.lower.as_str()) {
                            extras.entry(a.lower.clone()).or_insert(a.text.clone());
                        }
                    } else if wild_seen.insert(a.lower.as_str())
                        && let Some(w) = pattern_witness(&a.text)
                        && !names.index.contains_key(w.to_ascii_lowercase().as_str())
                        && cat.expand(&a.lower).is_empty()
                    {
                        // an action pattern matches every action name, also those newer than
                        // the catalog (red team 72: `s3:Zzz*`, `zzznewsvc:*` granted nothing
                        // while `s3:ZzzNewAction` was added): one made-up name it matches
                        // stands for them, as a literal action the catalog lacks does
                        witness_of.insert(w.to_ascii_lowercase(), a.lower.clone());
                        extras.entry(w.to_ascii_lowercase()).or_insert(w);
                    }
                }
            }
        }
    }
    // the patterns matching each catalog action (by position in `names`) and each extra
    let mut sig: Vec<Vec<u32>> = vec![Vec::new(); names.list.len()];
    let mut extra_sig: HashMap<&str, Vec<u32>> = HashMap::new();
    // the patterns that match a literal action a policy names (not a made-up one): such a
    // pattern is represented by what it matches, as one matching a catalog action is, so its
    // made-up name is dropped below (`s3:*1*` beside `s3:Get10`)
    let mut covered: std::collections::HashSet<&str> = Default::default();
    for (i, p) in patterns.iter().enumerate() {
        let i = i as u32;
        if p.contains(['*', '?']) {
            for a in cat.expand(p) {
                if let Some(k) = names.by_index.get(a.index() as usize)
                    && let Some(s) = sig.get_mut(*k as usize)
                {
                    s.push(i);
                }
            }
            // only the extras that start with the pattern's literal prefix can match it (both
            // are lower case): a range of the sorted map, not every extra (40,000 patterns
            // against 20,000 extras took minutes)
            let lit = &p[..p.find(['*', '?']).unwrap_or(p.len())];
            for e in extras
                .range::<str, _>((std::ops::Bound::Included(lit), std::ops::Bound::Unbounded))
                .map(|(e, _)| e)
                .take_while(|e| e.starts_with(lit))
            {
                if glob_ci(p, e) {
                    extra_sig.entry(e.as_str()).or_default().push(i);
                    if !witness_of.contains_key(e.as_str()) {
                        covered.insert(p.as_str());
                    }
                }
            }
        } else if let Some(&k) = names.index.get(p.as_str()) {
            sig[k].push(i);
        } else if let Some((e, _)) = extras.get_key_value(p.as_str()) {
            extra_sig.entry(e.as_str()).or_default().push(i);
        }
    }
    let dropped: std::collections::HashSet<&str> = witness_of
        .iter()
        .filter(|(_, p)| covered.contains(p.as_str()))
        .map(|(w, _)| w.as_str())
        .collect();
    // catalog actions in catalog-spelling order, so each group's members come sorted
    let mut groups: BTreeMap<Vec<u32>, (Vec<String>, bool)> = BTreeMap::new();
    for (k, s) in sig.into_iter().enumerate() {
        groups.entry(s).or_default().0.push(names.list[k].1.clone());
    }
    for (l, text) in &extras {
        if dropped.contains(l.as_str()) {
            continue;
        }
        let s = extra_sig.remove(l.as_str()).unwrap_or_default();
        let g = groups.entry(s).or_default();
        g.0.push(text.clone());
        g.1 = true;
    }
    // A literal pattern that is neither a catalog action nor a valid extra (no `:`) still
    // needs no class: it matches nothing else.
    groups
        .into_iter()
        .map(|(mut sig, (mut members, has_extras))| {
            sig.sort_unstable();
            sig.dedup();
            if has_extras {
                members.sort();
            }
            ActionClass {
                rep: members[0].clone(),
                members,
                sig,
            }
        })
        .collect()
}

#[cfg(test)]
mod glob_tests {
    use super::*;

    proptest::proptest! {
        /// The direct glob match agrees with the automaton it replaces in `action_classes`
        /// and `focused_classes`.
        #[test]
        fn glob_ci_agrees_with_the_automaton(p in "[aB*?:é]{0,7}", t in "[abAB:é]{0,8}") {
            let p = p.to_ascii_lowercase();
            proptest::prop_assert_eq!(
                glob_ci(&p, &t),
                automaton::matches(&Pattern::string(&p, true, true), &t)
            );
        }
    }
}
