//! The compact binary layout of a compiled catalog, and the encoder that writes it.
//!
//! `build.rs` compiles `data/iam-catalog.json.gz` into this layout once, and the binary embeds
//! the result with `include_bytes!`; `greenlight catalog update` writes the same layout to the
//! user cache. Reading needs no parsing: every table is an array of fixed-size records of
//! little-endian `u32`, and strings are `(offset, length)` pairs into one string section.
//!
//! This file is also compiled by `build.rs`, so it may only use `std` and `schema`.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::schema::{Bundle, KeyDoc, ResourceDoc, ServiceDoc};

/// First bytes of every compiled catalog; the last byte is the layout version.
pub const MAGIC: &[u8; 8] = b"GLCATLG\x03";

/// Length of the header: magic, section count, then `(offset, length)` of every section.
pub const HEADER_LEN: usize = 8 + 4 + SECTIONS * 8;

/// A cache file is read in chunks of this many bytes, on first use (see `catalog::lazy`).
/// The encoder keeps every string inside one chunk and every section word-aligned, so a
/// lookup never needs two chunks.
pub const CHUNK: usize = 16 * 1024;

/// Section indexes in the header.
pub const SEC_STR: usize = 0;
pub const SEC_META: usize = 1;
pub const SEC_SVC: usize = 2;
pub const SEC_ACT: usize = 3;
pub const SEC_LINK: usize = 4;
pub const SEC_RES: usize = 5;
pub const SEC_REFS: usize = 6;
pub const SEC_KEY: usize = 7;
pub const SEC_IDS: usize = 8;
pub const SEC_GLOBAL: usize = 9;
pub const SEC_RCP: usize = 10;
pub const SECTIONS: usize = 11;

/// Record sizes in `u32` words, and field offsets.
pub const META_FIELDS: usize = 7; // format, package, version, date, license, fetched-from, note
pub const SVC_WORDS: usize = 13;
pub const SVC_NAME: usize = 0;
pub const SVC_LNAME: usize = 2;
pub const SVC_DISPLAY: usize = 4;
pub const SVC_ACT: usize = 6;
pub const SVC_RES: usize = 8;
pub const SVC_KEY: usize = 10;
pub const SVC_FLAGS: usize = 12;
pub const SVC_FLAG_RCP: u32 = 1;

pub const ACT_WORDS: usize = 14;
pub const ACT_NAME: usize = 0;
pub const ACT_LNAME: usize = 2;
pub const ACT_DESC: usize = 4;
pub const ACT_SVC: usize = 6;
pub const ACT_LEVEL: usize = 7;
pub const ACT_LINK: usize = 8;
pub const ACT_OWNKEYS: usize = 10;
pub const ACT_ALLKEYS: usize = 12;

pub const LINK_WORDS: usize = 4;
pub const LINK_RES: usize = 0;
pub const LINK_REQUIRED: usize = 1;
pub const LINK_KEYS: usize = 2;

pub const RES_WORDS: usize = 9;
pub const RES_NAME: usize = 0;
pub const RES_LNAME: usize = 2;
pub const RES_SVC: usize = 4;
pub const RES_FMT: usize = 5;
pub const RES_KEYS: usize = 7;

pub const KEY_WORDS: usize = 11;
pub const KEY_NAME: usize = 0;
pub const KEY_LNAME: usize = 2;
pub const KEY_DESC: usize = 4;
pub const KEY_TYPE: usize = 6;
pub const KEY_SVC: usize = 8;
pub const KEY_CATEGORY: usize = 9;

/// Marks an absent string or a global key's service.
pub const NONE: u32 = u32::MAX;

/// Access-level codes.
pub const LEVEL_LIST: u32 = 0;
pub const LEVEL_READ: u32 = 1;
pub const LEVEL_WRITE: u32 = 2;
pub const LEVEL_PERMISSIONS: u32 = 3;
pub const LEVEL_TAGGING: u32 = 4;

/// `Required` codes of an action → resource link.
pub const REQUIRED_NO: u32 = 0;
pub const REQUIRED_YES: u32 = 1;
pub const REQUIRED_UNKNOWN: u32 = 2;

/// An error found while compiling a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError(pub String);

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Default)]
struct Strings {
    bytes: Vec<u8>,
    seen: HashMap<String, (u32, u32)>,
}

impl Strings {
    fn add(&mut self, s: &str) -> Result<(u32, u32), EncodeError> {
        if let Some(r) = self.seen.get(s) {
            return Ok(*r);
        }
        // keep the string inside one chunk of the file (the string section follows the header)
        let room = CHUNK - (HEADER_LEN + self.bytes.len()) % CHUNK;
        if s.len() > room && s.len() <= CHUNK {
            self.bytes.resize(self.bytes.len() + room, 0);
        }
        let off = u32::try_from(self.bytes.len()).map_err(|_| too_big())?;
        let len = u32::try_from(s.len()).map_err(|_| too_big())?;
        self.bytes.extend_from_slice(s.as_bytes());
        self.seen.insert(s.to_owned(), (off, len));
        Ok((off, len))
    }
    fn opt(&mut self, s: Option<&str>) -> Result<(u32, u32), EncodeError> {
        match s {
            Some(s) => self.add(s),
            None => Ok((NONE, 0)),
        }
    }
}

fn too_big() -> EncodeError {
    EncodeError("the catalog is too large to compile".to_owned())
}

fn idx(n: usize) -> Result<u32, EncodeError> {
    u32::try_from(n).map_err(|_| too_big())
}

/// The access-level code for AWS's four flags: permissions management first, then tagging,
/// then write, then list; none set is read.
pub fn level_code(list: bool, permissions: bool, tagging: bool, write: bool) -> u32 {
    if permissions {
        LEVEL_PERMISSIONS
    } else if tagging {
        LEVEL_TAGGING
    } else if write {
        LEVEL_WRITE
    } else if list {
        LEVEL_LIST
    } else {
        LEVEL_READ
    }
}

/// Compiles a bundle into the binary layout.
///
/// Services, actions, resource types and condition keys are sorted by lowercase name. A name
/// that occurs twice (ignoring case) is an error. A resource type or condition key that an
/// action names but its service does not define is added to the service without ARN formats
/// or type (a global key of that name is used when there is one).
pub fn encode(bundle: &Bundle) -> Result<Vec<u8>, EncodeError> {
    let mut st = Strings::default();
    let mut meta: Vec<u32> = Vec::new();
    let src = bundle.source.clone().unwrap_or_default();
    for field in [
        bundle.format.as_deref(),
        src.package.as_deref(),
        src.package_version.as_deref(),
        src.data_updated_at.as_deref(),
        src.license.as_deref(),
        src.fetched_from.as_deref(),
        src.note.as_deref(),
    ] {
        let (o, l) = st.opt(field)?;
        meta.extend([o, l]);
    }

    // Global keys, by lowercase name.
    let mut globals: BTreeMap<String, &super::schema::GlobalKeyDoc> = BTreeMap::new();
    for g in &bundle.global_condition_keys {
        if globals.insert(g.name.to_lowercase(), g).is_some() {
            return Err(EncodeError(format!(
                "global condition key `{}` occurs twice",
                g.name
            )));
        }
    }

    // Services, by lowercase name, with missing resources and keys filled in.
    let mut services: BTreeMap<String, ServiceDoc> = BTreeMap::new();
    for s in &bundle.services {
        let lname = s.name.to_lowercase();
        if lname.is_empty() || lname.contains(':') {
            return Err(EncodeError(format!("invalid service prefix `{}`", s.name)));
        }
        if services.insert(lname, s.clone()).is_some() {
            return Err(EncodeError(format!("service `{}` occurs twice", s.name)));
        }
    }
    for s in services.values_mut() {
        complete_service(s, &globals);
    }
    let rcp: BTreeSet<String> = bundle
        .rcp_supported_services
        .iter()
        .map(|s| s.to_lowercase())
        .collect();

    // Lowercase service and full action names first, in table order, so that scanning them
    // (pattern expansion) reads one contiguous block of the string table.
    for (lname_svc, s) in &services {
        st.add(lname_svc)?;
        let names: BTreeSet<String> = s.actions.iter().map(|a| a.name.to_lowercase()).collect();
        for a in names {
            st.add(&format!("{lname_svc}:{a}"))?;
        }
    }

    let mut svc_rec: Vec<u32> = Vec::new();
    let mut act_rec: Vec<u32> = Vec::new();
    let mut link_rec: Vec<u32> = Vec::new();
    let mut res_rec: Vec<u32> = Vec::new();
    let mut refs: Vec<u32> = Vec::new();
    let mut key_rec: Vec<u32> = Vec::new();
    let mut ids: Vec<u32> = Vec::new();

    // Condition keys first (every table refers to them): per service, then globals.
    let mut svc_keys: Vec<BTreeMap<String, u32>> = Vec::new();
    let mut svc_key_ranges: Vec<(u32, u32)> = Vec::new();
    let mut nkeys: u32 = 0;
    for (si, s) in services.values().enumerate() {
        let mut by_lname: BTreeMap<String, &KeyDoc> = BTreeMap::new();
        for k in &s.condition_keys {
            if by_lname.insert(k.name.to_lowercase(), k).is_some() {
                return Err(EncodeError(format!(
                    "condition key `{}` occurs twice in service `{}`",
                    k.name, s.name
                )));
            }
        }
        let start = nkeys;
        let mut map = BTreeMap::new();
        for (lname, k) in &by_lname {
            push_key(
                &mut st,
                &mut key_rec,
                &k.name,
                lname,
                k.description.as_deref(),
                k.types.first(),
                idx(si)?,
                None,
            )?;
            map.insert(lname.clone(), nkeys);
            nkeys += 1;
        }
        svc_key_ranges.push((start, nkeys - start));
        svc_keys.push(map);
    }
    let global_start = nkeys;
    let mut global_ids: BTreeMap<String, u32> = BTreeMap::new();
    for (lname, g) in &globals {
        push_key(
            &mut st,
            &mut key_rec,
            &g.name,
            lname,
            None,
            g.types.first(),
            NONE,
            g.category.as_deref(),
        )?;
        global_ids.insert(lname.clone(), nkeys);
        nkeys += 1;
    }
    let global_count = nkeys - global_start;

    let resolve = |si: usize, name: &str| -> Option<u32> {
        let l = name.to_lowercase();
        svc_keys
            .get(si)
            .and_then(|m| m.get(&l).copied())
            .or_else(|| global_ids.get(&l).copied())
    };
    let push_ids = |ids: &mut Vec<u32>, list: &[u32]| -> Result<(u32, u32), EncodeError> {
        let start = idx(ids.len())?;
        ids.extend_from_slice(list);
        Ok((start, idx(list.len())?))
    };
    let key_ids = |si: usize, names: &[String]| -> Vec<u32> {
        let mut v: Vec<u32> = names.iter().filter_map(|n| resolve(si, n)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };

    // Resource types.
    let mut svc_res: Vec<BTreeMap<String, (u32, Vec<u32>)>> = Vec::new();
    let mut svc_res_ranges: Vec<(u32, u32)> = Vec::new();
    for (si, s) in services.values().enumerate() {
        let mut by_lname: BTreeMap<String, &ResourceDoc> = BTreeMap::new();
        for r in &s.resources {
            if by_lname.insert(r.name.to_lowercase(), r).is_some() {
                return Err(EncodeError(format!(
                    "resource type `{}` occurs twice in service `{}`",
                    r.name, s.name
                )));
            }
        }
        let start = idx(res_rec.len() / RES_WORDS)?;
        let mut map = BTreeMap::new();
        for (lname, r) in &by_lname {
            let id = idx(res_rec.len() / RES_WORDS)?;
            let (no, nl) = st.add(&r.name)?;
            let (lo, ll) = st.add(lname)?;
            let fstart = idx(refs.len() / 2)?;
            for f in &r.arn_formats {
                let (o, l) = st.add(f)?;
                refs.extend([o, l]);
            }
            let keys = key_ids(si, &r.condition_keys);
            let (ks, kc) = push_ids(&mut ids, &keys)?;
            res_rec.extend([
                no,
                nl,
                lo,
                ll,
                idx(si)?,
                fstart,
                idx(r.arn_formats.len())?,
                ks,
                kc,
            ]);
            map.insert(lname.clone(), (id, keys));
        }
        svc_res_ranges.push((start, idx(res_rec.len() / RES_WORDS)? - start));
        svc_res.push(map);
    }

    // Actions and their resource links.
    let mut nact: u32 = 0;
    for (si, (lname_svc, s)) in services.iter().enumerate() {
        let mut by_lname: BTreeMap<String, &super::schema::ActionDoc> = BTreeMap::new();
        for a in &s.actions {
            if a.name.is_empty() || a.name.contains(':') {
                return Err(EncodeError(format!(
                    "invalid action name `{}` in service `{}`",
                    a.name, s.name
                )));
            }
            if by_lname.insert(a.name.to_lowercase(), a).is_some() {
                return Err(EncodeError(format!(
                    "action `{}:{}` occurs twice",
                    s.name, a.name
                )));
            }
        }
        let act_start = nact;
        for (lname, a) in &by_lname {
            let (no, nl) = st.add(&a.name)?;
            let (lo, ll) = st.add(&format!("{lname_svc}:{lname}"))?;
            let (d_o, dl) = st.opt(a.description.as_deref())?;
            let p = a
                .annotations
                .as_ref()
                .and_then(|x| x.properties)
                .unwrap_or_default();
            let level = level_code(
                p.is_list,
                p.is_permission_management,
                p.is_tagging_only,
                p.is_write,
            );
            let own = key_ids(si, &a.action_condition_keys);
            let mut all = own.clone();
            let link_start = idx(link_rec.len() / LINK_WORDS)?;
            let mut links: BTreeMap<u32, (u32, Vec<u32>)> = BTreeMap::new();
            for r in &a.resources {
                let Some((rid, rkeys)) =
                    svc_res.get(si).and_then(|m| m.get(&r.name.to_lowercase()))
                else {
                    return Err(EncodeError(format!(
                        "action `{}:{}` names resource type `{}` that its service does not define",
                        s.name, a.name, r.name
                    )));
                };
                let lk = key_ids(si, &r.condition_keys);
                all.extend_from_slice(&lk);
                all.extend_from_slice(rkeys);
                let req = match r.required {
                    Some(true) => REQUIRED_YES,
                    Some(false) => REQUIRED_NO,
                    None => REQUIRED_UNKNOWN,
                };
                // A few actions list the same resource type twice: merge the rows.
                match links.get_mut(rid) {
                    Some(e) => {
                        if req == REQUIRED_YES || e.0 == REQUIRED_YES {
                            e.0 = REQUIRED_YES;
                        } else if e.0 == REQUIRED_UNKNOWN {
                            e.0 = req;
                        }
                        e.1.extend(lk);
                        e.1.sort_unstable();
                        e.1.dedup();
                    }
                    None => {
                        links.insert(*rid, (req, lk));
                    }
                }
            }
            for (rid, (req, lk)) in &links {
                let (ks, kc) = push_ids(&mut ids, lk)?;
                link_rec.extend([*rid, *req, ks, kc]);
            }
            all.sort_unstable();
            all.dedup();
            let (os, oc) = push_ids(&mut ids, &own)?;
            let (as_, ac) = push_ids(&mut ids, &all)?;
            act_rec.extend([
                no,
                nl,
                lo,
                ll,
                d_o,
                dl,
                idx(si)?,
                level,
                link_start,
                idx(links.len())?,
                os,
                oc,
                as_,
                ac,
            ]);
            nact += 1;
        }
        let (no, nl) = st.add(&s.name)?;
        let (lo, ll) = st.add(lname_svc)?;
        let (d_o, dl) = st.opt(s.display_name.as_deref())?;
        let (rs, rc) = svc_res_ranges.get(si).copied().unwrap_or((0, 0));
        let (ks, kc) = svc_key_ranges.get(si).copied().unwrap_or((0, 0));
        let flags = if rcp.contains(lname_svc) {
            SVC_FLAG_RCP
        } else {
            0
        };
        svc_rec.extend([
            no,
            nl,
            lo,
            ll,
            d_o,
            dl,
            act_start,
            nact - act_start,
            rs,
            rc,
            ks,
            kc,
            flags,
        ]);
    }

    let mut rcp_refs: Vec<u32> = Vec::new();
    for r in &bundle.rcp_supported_services {
        let (o, l) = st.add(r)?;
        rcp_refs.extend([o, l]);
    }

    let mut strings = st.bytes;
    // word-align the sections that follow
    strings.resize(strings.len().next_multiple_of(4), 0);
    let sections: [Vec<u8>; SECTIONS] = [
        strings,
        words(&meta),
        words(&svc_rec),
        words(&act_rec),
        words(&link_rec),
        words(&res_rec),
        words(&refs),
        words(&key_rec),
        words(&ids),
        words(&[global_start, global_count]),
        words(&rcp_refs),
    ];
    let header = HEADER_LEN;
    let mut out = Vec::with_capacity(header + sections.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&idx(SECTIONS)?.to_le_bytes());
    let mut off = header;
    for s in &sections {
        out.extend_from_slice(&idx(off)?.to_le_bytes());
        out.extend_from_slice(&idx(s.len())?.to_le_bytes());
        off += s.len();
    }
    for s in &sections {
        out.extend_from_slice(s);
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn push_key(
    st: &mut Strings,
    rec: &mut Vec<u32>,
    name: &str,
    lname: &str,
    desc: Option<&str>,
    ty: Option<&String>,
    svc: u32,
    category: Option<&str>,
) -> Result<(), EncodeError> {
    let (no, nl) = st.add(name)?;
    let (lo, ll) = st.add(lname)?;
    let (d_o, dl) = st.opt(desc)?;
    let (to, tl) = st.opt(ty.map(String::as_str))?;
    let (co, cl) = st.opt(category)?;
    rec.extend([no, nl, lo, ll, d_o, dl, to, tl, svc, co, cl]);
    Ok(())
}

/// Adds the resource types and condition keys that actions name but the service lacks.
fn complete_service(s: &mut ServiceDoc, globals: &BTreeMap<String, &super::schema::GlobalKeyDoc>) {
    let mut keys: BTreeSet<String> = s
        .condition_keys
        .iter()
        .map(|k| k.name.to_lowercase())
        .collect();
    let mut res: BTreeSet<String> = s.resources.iter().map(|r| r.name.to_lowercase()).collect();
    let mut wanted_keys: Vec<String> = Vec::new();
    let mut wanted_res: Vec<String> = Vec::new();
    for a in &s.actions {
        wanted_keys.extend(a.action_condition_keys.iter().cloned());
        for r in &a.resources {
            wanted_res.push(r.name.clone());
            wanted_keys.extend(r.condition_keys.iter().cloned());
        }
    }
    for r in &s.resources {
        wanted_keys.extend(r.condition_keys.iter().cloned());
    }
    for r in wanted_res {
        if res.insert(r.to_lowercase()) {
            s.resources.push(ResourceDoc {
                name: r,
                ..ResourceDoc::default()
            });
        }
    }
    for k in wanted_keys {
        let l = k.to_lowercase();
        if !globals.contains_key(&l) && keys.insert(l) {
            s.condition_keys.push(KeyDoc {
                name: k,
                ..KeyDoc::default()
            });
        }
    }
}

fn words(w: &[u32]) -> Vec<u8> {
    let mut v = Vec::with_capacity(w.len() * 4);
    for x in w {
        v.extend_from_slice(&x.to_le_bytes());
    }
    v
}
