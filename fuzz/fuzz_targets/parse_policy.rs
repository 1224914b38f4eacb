//! Bytes → strict UTF-8 → strict JSON → policy model → compiled for every policy type → one
//! evaluation. Any panic is a bug: invalid input must come back as a located error.
#![no_main]

use greenlight::eval::{CompiledPolicySet, Context, PolicyType, Principal, Request, evaluate};
use greenlight::{Source, parse_policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = Source::from_bytes("fuzz.json", data.to_vec()) else {
        return;
    };
    let Ok(policy) = parse_policy(&source) else {
        return;
    };
    for t in [
        PolicyType::Identity,
        PolicyType::PermissionsBoundary,
        PolicyType::Scp,
        PolicyType::Resource,
        PolicyType::RoleTrust,
    ] {
        let Ok(compiled) = greenlight::eval::CompiledPolicy::compile(&policy, t) else {
            continue;
        };
        let mut set = CompiledPolicySet::default();
        match t {
            PolicyType::Resource | PolicyType::RoleTrust => {
                set.resource_policy = Some(compiled.into())
            }
            _ => set.identity.push(compiled.into()),
        }
        let request = Request {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::bucket/key".into(),
            principal: Principal::parse("arn:aws:iam::111122223333:user/alice").ok(),
            resource_account: None,
            context: Context::new()
                .with("aws:username", "alice")
                .with("aws:SourceIp", "203.0.113.7"),
        };
        let _ = evaluate(&set, &request);
    }
});
