//! `count` and `for_each` on resources and data sources
//! (<https://developer.hashicorp.com/terraform/language/meta-arguments/count>,
//! <https://developer.hashicorp.com/terraform/language/meta-arguments/for_each>): when the
//! argument evaluates statically (a number; a list, `toset([...])` or a map, also through
//! `local.x` or `var.x` with a default), the block is one resource per instance, addressed as
//! Terraform addresses it (`aws_iam_role_policy.p[0]`, `data.aws_iam_policy_document.d["a"]`),
//! with `count.index`, `each.key` and `each.value` bound inside the block; a reference names
//! its instance (`aws_iam_role_policy.p[0].name`). An argument not known statically keeps the
//! block one resource (its `count.index`/`each.*` named placeholders) and says so; an empty one
//! gives no instance and says so. The number of instances of a block is bounded.

use std::rc::Rc;

use hcl_edit::expr::Expression;

use super::eval::{Eval, span_of, string};
use super::modules::Key;
use crate::parse::ParseError;
use crate::parse::json::{Kind, Value};
use crate::source::Span;

/// Most instances of one resource or data block.
pub const MAX_INSTANCES: usize = 256;

/// One instance of a block: its key, and `each.value` for `for_each`.
#[derive(Clone, Debug)]
pub struct Instance {
    pub key: Key,
    pub value: Option<Value>,
    /// `for_each` over the instances of another block (`for_each = aws_iam_policy.p`): that
    /// block's name (`["aws_iam_policy", "p"]`, `["data", TYPE, NAME]`); `each.value.ATTR` is
    /// the attribute of its instance of the same key.
    pub chained: Option<Vec<String>>,
    /// What the `for_each`/`count` read that is not a value to decide on ([`Taint`]).
    pub taint: super::eval::Taint,
}

/// The instances of a resource or data block.
#[derive(Debug)]
pub enum Expansion {
    /// No `count`/`for_each`: the block is one resource.
    One,
    /// `count`/`for_each` known statically: its instances (none for `count = 0`).
    Known(Vec<Instance>),
    /// `count`/`for_each` not known statically: the block is read as one resource.
    Unknown,
}

/// The instances of a `module` block.
pub enum ModuleInstances {
    /// No `count`/`for_each`.
    One,
    /// `count`/`for_each` (named) known statically: the instance keys, in Terraform's order.
    Known(Vec<Key>, &'static str),
    /// `count`/`for_each` (named) not known statically.
    Unknown(&'static str),
}

/// An index written after a resource's name in a reference.
#[derive(Clone, Copy)]
pub(super) enum Index<'m> {
    Expr(&'m Expression),
    /// `aws_x.r.0` (the legacy index syntax).
    Legacy(u64),
    /// The key of an instance already known (`each.value.ATTR` of a chained `for_each`).
    Key(&'m Key),
}

/// The instance bound while a block is evaluated for it.
pub(super) struct Bound {
    file: usize,
    within: Span,
    /// The blocks of override files merged into the block (file, span).
    parts: Vec<(usize, Span)>,
    instance: Instance,
}

impl Bound {
    /// The instance's key as an address suffix (`[0]`, `["a"]`).
    pub(super) fn key_address(&self) -> String {
        self.instance.key.address()
    }

    /// The block and instance, as `FILE:LINE[KEY]`, for a condition's name.
    pub(super) fn site(&self, ev: &Eval<'_>) -> String {
        format!(
            "{}{}",
            ev.site_text((self.file as u32, self.within.start)),
            self.key_address()
        )
    }

    /// Whether `span` of `file` lies inside the block (or a part merged into it).
    fn holds(&self, file: usize, span: Span) -> bool {
        let inside = |f: usize, w: Span| f == file && w.start <= span.start && span.end <= w.end;
        inside(self.file, self.within) || self.parts.iter().any(|&(f, w)| inside(f, w))
    }
}

impl<'m> Eval<'m> {
    /// The instances of the block `address` (`PREFIX.type.name`, `PREFIX.data.type.name`),
    /// evaluated once.
    pub fn expansion(&self, address: &str, depth: usize) -> Result<Rc<Expansion>, ParseError> {
        if let Some(e) = self.expansions.borrow().get(address) {
            return Ok(e.clone());
        }
        let Some(&(file, block)) = self.blocks.get(address) else {
            return Ok(Rc::new(Expansion::One));
        };
        // a `for_each` chained over itself comes back here, one level deeper each time
        self.step(file, span_of(block), depth)?;
        let before = self.taint_mark();
        let mut e = self.expand(address, file, block, depth)?;
        let taint = self.taint_since(before);
        if let Expansion::Known(list) = &mut e {
            for i in list {
                i.taint = taint;
            }
        }
        let e = Rc::new(e);
        self.expansions
            .borrow_mut()
            .insert(address.to_string(), e.clone());
        Ok(e)
    }

    fn expand(
        &self,
        address: &str,
        file: usize,
        block: &'m hcl_edit::structure::Block,
        depth: usize,
    ) -> Result<Expansion, ParseError> {
        let count = block.body.get_attribute("count");
        let for_each = block.body.get_attribute("for_each");
        let (meta, a) = match (count, for_each) {
            (None, None) => return Ok(Expansion::One),
            (Some(c), Some(_)) => {
                return Err(self.error(
                    file,
                    span_of(&c.key),
                    format!("`{address}` has both `count` and `for_each` (Terraform accepts one of them)"),
                ));
            }
            (Some(c), None) => ("count", c),
            (None, Some(f)) => ("for_each", f),
        };
        let at = span_of(&a.value);
        if meta == "for_each"
            && let Some(chained) = self.chained(&a.value, file, depth)?
        {
            return Ok(chained);
        }
        let v = self.eval(&a.value, file, depth + 1)?;
        let instances = if meta == "count" {
            self.count(address, &v, file, at)?
        } else {
            self.for_each(address, v, file, at)?
        };
        let Some(instances) = instances else {
            self.notes.borrow_mut().insert(
                format!("{address} ({meta})"),
                format!(
                    "`{address}` has a `{meta}` that is not known statically: its instances are read as one resource, `{address}`"
                ),
            );
            return Ok(Expansion::Unknown);
        };
        if instances.is_empty() {
            let what = if meta == "count" {
                "`count = 0`"
            } else {
                "an empty `for_each`"
            };
            self.notes.borrow_mut().insert(
                format!("{address} ({meta})"),
                format!("`{address}` has {what}: it has no instances and is not read"),
            );
        }
        Ok(Expansion::Known(instances))
    }

    /// The instances of the `module` block `block` of `file` (addressed `address`): its
    /// `count`/`for_each` evaluated in the calling module, as a resource's are
    /// (<https://developer.hashicorp.com/terraform/language/meta-arguments/count>,
    /// <https://developer.hashicorp.com/terraform/language/meta-arguments/for_each>).
    pub fn module_instances(
        &self,
        address: &str,
        file: usize,
        block: &'m hcl_edit::structure::Block,
    ) -> Result<ModuleInstances, ParseError> {
        let (meta, a) = match (
            block.body.get_attribute("count"),
            block.body.get_attribute("for_each"),
        ) {
            (None, None) => return Ok(ModuleInstances::One),
            (Some(c), Some(_)) => {
                return Err(self.error(
                    file,
                    span_of(&c.key),
                    format!("`{address}` has both `count` and `for_each` (Terraform accepts one of them)"),
                ));
            }
            (Some(c), None) => ("count", c),
            (None, Some(f)) => ("for_each", f),
        };
        let at = span_of(&a.value);
        let v = self.eval(&a.value, file, 1)?;
        let instances = if meta == "count" {
            self.count(address, &v, file, at)?
        } else {
            self.for_each(address, v, file, at)?
        };
        Ok(match instances {
            Some(all) => ModuleInstances::Known(all.into_iter().map(|i| i.key).collect(), meta),
            None => ModuleInstances::Unknown(meta),
        })
    }

    /// `for_each = aws_iam_policy.p` (`data.TYPE.NAME`): the instances of that block, when it
    /// has `for_each` known statically (resource chaining,
    /// https://developer.hashicorp.com/terraform/language/meta-arguments/for_each#chaining-for_each-between-resources);
    /// `None` when the expression names no such block.
    fn chained(
        &self,
        e: &'m Expression,
        file: usize,
        depth: usize,
    ) -> Result<Option<Expansion>, ParseError> {
        let Expression::Traversal(t) = e else {
            return Ok(None);
        };
        let Expression::Variable(root) = &t.expr else {
            return Ok(None);
        };
        let mut names = vec![root.as_str().to_string()];
        for op in &t.operators {
            match op.value() {
                hcl_edit::expr::TraversalOperator::GetAttr(id) => names.push(id.to_string()),
                _ => return Ok(None),
            }
        }
        let local = match names.first().map(String::as_str) {
            Some("data") if names.len() == 3 => names.join("."),
            Some(ty) if ty.starts_with("aws_") && names.len() == 2 => names.join("."),
            _ => return Ok(None),
        };
        let address = format!("{}{local}", self.prefix(file));
        if !self.blocks.contains_key(&address) {
            return Ok(None);
        }
        let Expansion::Known(all) = &*self.expansion(&address, depth + 1)? else {
            return Ok(None);
        };
        if all.iter().any(|i| !matches!(i.key, Key::Each(_))) {
            return Ok(None);
        }
        Ok(Some(Expansion::Known(
            all.iter()
                .map(|i| Instance {
                    taint: Default::default(),
                    key: i.key.clone(),
                    value: None,
                    chained: Some(names.clone()),
                })
                .collect(),
        )))
    }

    fn too_many(
        &self,
        address: &str,
        file: usize,
        at: Span,
        n: impl std::fmt::Display,
    ) -> ParseError {
        self.error(
            file,
            at,
            format!(
                "`{address}` has {n} instances; greenlight reads at most {MAX_INSTANCES} per block"
            ),
        )
    }

    /// `count`: a whole number (a string of digits converts, as in Terraform); `None` when not
    /// known statically.
    fn count(
        &self,
        address: &str,
        v: &Value,
        file: usize,
        at: Span,
    ) -> Result<Option<Vec<Instance>>, ParseError> {
        let n = match &v.kind {
            Kind::Number(n) => n.as_str(),
            Kind::String(s) if !s.contains("UNKNOWN-") => s.trim(),
            _ => return Ok(None),
        };
        let whole = n.parse::<u64>().ok().or_else(|| {
            n.parse::<f64>()
                .ok()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        });
        let Some(c) = whole else {
            return Err(self.error(
                file,
                at,
                format!("the `count` of `{address}` is `{n}`, not a whole number ≥ 0"),
            ));
        };
        if c > MAX_INSTANCES as u64 {
            return Err(self.too_many(address, file, at, c));
        }
        Ok(Some(
            (0..c as usize)
                .map(|i| Instance {
                    taint: Default::default(),
                    key: Key::Index(i),
                    value: None,
                    chained: None,
                })
                .collect(),
        ))
    }

    /// `for_each`: a map (keys and values) or a set of strings (`each.value` is the key);
    /// `None` when not known statically (or a key holds a placeholder).
    fn for_each(
        &self,
        address: &str,
        v: Value,
        file: usize,
        at: Span,
    ) -> Result<Option<Vec<Instance>>, ParseError> {
        let known = |k: &str| !k.contains("UNKNOWN-");
        let mut out: Vec<Instance> = Vec::new();
        match v.kind {
            Kind::Object(members) => {
                if members.len() > MAX_INSTANCES {
                    return Err(self.too_many(address, file, at, members.len()));
                }
                for m in members {
                    if !known(&m.key) {
                        return Ok(None);
                    }
                    // a later duplicate key wins, as in an HCL object
                    out.retain(|i| i.key != Key::Each(m.key.clone()));
                    out.push(Instance {
                        taint: Default::default(),
                        key: Key::Each(m.key),
                        value: Some(m.value),
                        chained: None,
                    });
                }
            }
            Kind::Array(items) => {
                if items.len() > MAX_INSTANCES {
                    return Err(self.too_many(address, file, at, items.len()));
                }
                for x in items {
                    let k = match x.kind {
                        Kind::String(s) if known(&s) => s,
                        Kind::Number(n) => n,
                        _ => return Ok(None),
                    };
                    if out.iter().any(|i| i.key == Key::Each(k.clone())) {
                        continue;
                    }
                    out.push(Instance {
                        value: Some(string(k.clone(), x.span)),
                        key: Key::Each(k),
                        chained: None,
                        taint: Default::default(),
                    });
                }
            }
            _ => return Ok(None),
        }
        // Terraform orders the instances of `for_each` by key
        out.sort_by(|a, b| match (&a.key, &b.key) {
            (Key::Each(x), Key::Each(y)) => x.cmp(y),
            _ => std::cmp::Ordering::Equal,
        });
        Ok(Some(out))
    }

    /// Runs `f` with the instance `key` of the block `address` bound (`count.index`,
    /// `each.key`, `each.value` inside the block).
    pub fn within<T>(
        &self,
        address: &str,
        key: &Key,
        depth: usize,
        f: impl FnOnce() -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if *key == Key::None {
            return f();
        }
        let Some(&(file, block)) = self.blocks.get(address) else {
            return f();
        };
        let Expansion::Known(all) = &*self.expansion(address, depth)? else {
            return f();
        };
        let Some(instance) = all.iter().find(|i| &i.key == key).cloned() else {
            return f();
        };
        let parts = self
            .parts
            .get(&(block as *const hcl_edit::structure::Block))
            .cloned()
            .unwrap_or_default();
        self.bound.borrow_mut().push(Bound {
            file,
            within: span_of(block),
            parts,
            instance,
        });
        let r = f();
        self.bound.borrow_mut().pop();
        r
    }

    /// `count.index`, `each.key`, `each.value` inside a resource or data block being evaluated
    /// for one of its instances; `None` elsewhere.
    pub(super) fn bound_value(
        &self,
        first: &str,
        second: &str,
        file: usize,
        span: Span,
    ) -> Option<Value> {
        let bound = self.bound.borrow();
        let b = bound.iter().rev().find(|b| b.holds(file, span))?;
        self.read_taint(b.instance.taint);
        match (&b.instance.key, first, second) {
            (Key::Index(i), "count", "index") => Some(Value {
                kind: Kind::Number(i.to_string()),
                span,
            }),
            (Key::Each(k), "each", "key") => Some(string(k.clone(), span)),
            (Key::Each(_), "each", "value") => b.instance.value.clone().map(|mut v| {
                v.span = span;
                v
            }),
            _ => None,
        }
    }

    /// The block a chained `for_each` instance bound at `span` iterates over, and its key.
    pub(super) fn bound_chain(&self, file: usize, span: Span) -> Option<(Vec<String>, Key)> {
        let bound = self.bound.borrow();
        let b = bound.iter().rev().find(|b| b.holds(file, span))?;
        Some((b.instance.chained.clone()?, b.instance.key.clone()))
    }

    /// The instance a reference to the block `address` names (`address[index]`): `Ok(None)`
    /// when its key is not known statically. Naming no instance of a block with known
    /// instances, or one it does not have, is an error (Terraform's too); a block read as one
    /// is that one whatever the index.
    pub(super) fn instance_of(
        &self,
        address: &str,
        index: Option<Index<'m>>,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Option<Key>, ParseError> {
        let Expansion::Known(all) = &*self.expansion(address, depth)? else {
            return Ok(Some(Key::None));
        };
        let listed = || {
            let keys: Vec<String> = all.iter().take(8).map(|i| i.key.address()).collect();
            if keys.is_empty() {
                "it has no instances".to_string()
            } else {
                format!(
                    "its instances: {}{}",
                    keys.join(", "),
                    if all.len() > 8 { ", ..." } else { "" }
                )
            }
        };
        let Some(index) = index else {
            return Err(self
                .error(
                    file,
                    span,
                    format!("`{address}` has `count` or `for_each`: a reference names one of its instances ({})", listed()),
                ));
        };
        let by_count = all.iter().any(|i| matches!(i.key, Key::Index(_)));
        let text = match index {
            Index::Key(k) if all.iter().any(|i| &i.key == k) => return Ok(Some(k.clone())),
            Index::Key(k) => k.address(),
            Index::Legacy(i) => i.to_string(),
            Index::Expr(e) => match self.eval(e, file, depth + 1)?.kind {
                Kind::Number(n) => n,
                Kind::String(s) if !s.contains("UNKNOWN-") => s,
                Kind::String(_) => return Ok(None),
                _ => String::new(),
            },
        };
        let key = if by_count {
            text.parse::<usize>().ok().map(Key::Index)
        } else {
            Some(Key::Each(text.clone()))
        };
        match key {
            Some(k) if all.iter().any(|i| i.key == k) => Ok(Some(k)),
            // inside `try`/`can`, Terraform's error is what they fall back past
            _ if self.trying.get() > 0 => {
                self.fail();
                Ok(None)
            }
            _ => Err(self.error(
                file,
                span,
                format!("`{address}` has no instance `[{text}]` ({})", listed()),
            )),
        }
    }

    /// A splat right after a resource's or data source's name (`aws_x.r[*].ATTR`,
    /// `data.x.y.*.ATTR`): `ATTR` of each instance, a list (one element for a block without
    /// `count`/`for_each`, none for `count = 0`); `None` when the traversal has no such splat.
    pub(super) fn instances_splat(
        &self,
        t: &'m hcl_edit::expr::Traversal,
        names: &[&str],
        name_op: &[usize],
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Option<Value>, ParseError> {
        use hcl_edit::expr::TraversalOperator as Op;
        let at = name_op.last().map_or(0, |i| i + 1);
        let full = matches!(
            t.operators.get(at).map(|o| o.value()),
            Some(Op::FullSplat(_))
        );
        if !full
            && !matches!(
                t.operators.get(at).map(|o| o.value()),
                Some(Op::AttrSplat(_))
            )
        {
            return Ok(None);
        }
        let Some(Op::GetAttr(attr)) = t.operators.get(at + 1).map(|o| o.value()) else {
            return Ok(None);
        };
        let attr = attr.as_str();
        // the operators applied to each element: all after the splat for `[*]`, the
        // attribute accesses for `.*`
        let after = &t.operators[at + 2..];
        let each = if full {
            after.len()
        } else {
            after
                .iter()
                .take_while(|o| matches!(o.value(), Op::GetAttr(_) | Op::LegacyIndex(_)))
                .count()
        };
        let prefix = self.prefix(file).to_string();
        let (address, data) = match names {
            ["data", ty, name] => (format!("{prefix}data.{ty}.{name}"), Some((*ty, *name))),
            [ty, name] if ty.starts_with("aws_") => (format!("{prefix}{ty}.{name}"), None),
            _ => return Ok(None),
        };
        if !self.blocks.contains_key(&address) {
            return Ok(None);
        }
        let keys: Vec<Key> = match &*self.expansion(&address, depth)? {
            Expansion::One => vec![Key::None],
            Expansion::Known(all) => all.iter().map(|i| i.key.clone()).collect(),
            Expansion::Unknown => {
                let text = self.files[file].source.slice(span).trim().to_string();
                return Ok(Some(self.unknown(
                    &text,
                    format!("`{text}` (the instances of `{address}` are not known statically)"),
                    span,
                )));
            }
        };
        let mut out = Vec::with_capacity(keys.len());
        for key in &keys {
            let index = match key {
                Key::None => None,
                k => Some(Index::Key(k)),
            };
            let v = match (data, names) {
                (Some(("aws_iam_policy_document", name)), _)
                    if matches!(attr, "json" | "minified_json") =>
                {
                    self.policy_document(name, index, file, span, depth)?
                }
                (Some((ty, name)), _) => self.unknown(
                    &format!("data.{ty}.{name}{}.{attr}", key.address()),
                    format!(
                        "`{attr}` of the data source `data.{ty}.{name}{}`",
                        key.address()
                    ),
                    span,
                ),
                (None, [ty, name]) => self.attribute(ty, name, index, attr, file, span, depth)?,
                _ => return Ok(None),
            };
            out.push(self.apply(v, &after[..each], file, span, depth)?);
        }
        let whole = Value {
            kind: Kind::Array(out),
            span,
        };
        self.apply(whole, &after[each..], file, span, depth)
            .map(Some)
    }
}
