//! Evaluation cases derived from the AWS IAM documentation. Each case cites the rule it checks:
//! a key of the project's fact sheet (facts.md §6/§8, hardening.md) and the IAM doc page.
//!
//! Doc pages (keys as in facts.md):
//! - IAM-EVAL: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//! - IAM-EVAL-XACCT: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
//! - IAM-ACTION / IAM-NOTACTION / IAM-RESOURCE / IAM-NOTRESOURCE / IAM-PRINCIPAL /
//!   IAM-NOTPRINCIPAL: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_*.html
//! - IAM-CONDOPS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
//! - IAM-MULTIVAL: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
//! - IAM-VARS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

use greenlight::eval::{
    CompiledPolicySet, Context, EvalError, ImplicitDenyReason, PolicySet, Principal, Request,
    Verdict, evaluate,
};
use greenlight::{Source, parse_policy};

use Verdict::{Allowed as A, ExplicitDeny as X, ImplicitDeny as I};

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const ROLE: &str = "arn:aws:iam::111122223333:role/deploy";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/deploy/s1";
const OTHER: &str = "arn:aws:iam::999999999999:user/mallory";
const BUCKET_OBJ: &str = "arn:aws:s3:::example-bucket/key";

fn pol(name: &str, text: &str) -> greenlight::Policy {
    parse_policy(&Source::new(name, text)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[derive(Default)]
struct Case<'a> {
    rule: &'a str,
    identity: Vec<&'a str>,
    boundary: Option<&'a str>,
    scps: Vec<&'a str>,
    resource_policy: Option<&'a str>,
    trust: bool,
    principal: Option<&'a str>,
    action: &'a str,
    resource: &'a str,
    resource_account: Option<&'a str>,
    context: Vec<(&'a str, &'a str)>,
}

impl Case<'_> {
    fn set(&self) -> CompiledPolicySet {
        PolicySet {
            identity: self
                .identity
                .iter()
                .enumerate()
                .map(|(i, t)| pol(&format!("identity{i}.json"), t))
                .collect(),
            boundary: self.boundary.map(|t| pol("boundary.json", t)),
            scps: self
                .scps
                .iter()
                .enumerate()
                .map(|(i, t)| pol(&format!("scp{i}.json"), t))
                .collect(),
            rcps: Vec::new(),
            resource_policy: self.resource_policy.map(|t| pol("resource.json", t)),
            resource_policy_is_trust: self.trust,
        }
        .compile()
        .unwrap_or_else(|e| panic!("{}: {e}", self.rule))
    }

    fn request(&self) -> Request {
        let mut context = Context::new();
        for (k, v) in &self.context {
            context.insert(*k, *v);
        }
        Request {
            action: self.action.into(),
            resource: if self.resource.is_empty() {
                "*".into()
            } else {
                self.resource.into()
            },
            principal: self.principal.map(|p| Principal::parse(p).unwrap()),
            resource_account: self.resource_account.map(str::to_string),
            context,
        }
    }

    fn run(&self) -> Result<greenlight::eval::Decision, EvalError> {
        evaluate(&self.set(), &self.request())
    }

    fn expect(&self, v: Verdict) {
        let d = self.run().unwrap_or_else(|e| panic!("{}: {e}", self.rule));
        assert_eq!(d.decision, v, "{}", self.rule);
    }
}

fn allow(action: &str, resource: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Allow","Effect":"Allow","Action":"{action}","Resource":"{resource}"}}]}}"#
    )
}

fn deny(action: &str, resource: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Deny","Effect":"Deny","Action":"{action}","Resource":"{resource}"}}]}}"#
    )
}

/// An identity policy allowing everything under one condition.
fn cond(op: &str, key: &str, values: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"{op}":{{"{key}":{values}}}}}}}]}}"#
    )
}

fn check_cond(rule: &str, op: &str, key: &str, values: &str, ctx: &[(&str, &str)], want: Verdict) {
    let p = cond(op, key, values);
    Case {
        rule,
        identity: vec![&p],
        action: "s3:GetObject",
        context: ctx.to_vec(),
        ..Default::default()
    }
    .expect(want);
}

// ---------------------------------------------------------------- evaluation order (IAM-EVAL)

#[test]
fn default_is_implicit_deny() {
    // IAM-EVAL / facts §8.1: "everything implicitly denied by default".
    let c = Case {
        rule: "IAM-EVAL: no allow → implicit deny",
        identity: vec![
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#,
        ],
        action: "s3:GetObject",
        ..Default::default()
    };
    let d = c.run().unwrap();
    assert_eq!(d.decision, I);
    assert!(d.matched.is_empty());
    assert_eq!(d.implicit_deny_reason, Some(ImplicitDenyReason::NoAllow));
}

#[test]
fn explicit_deny_anywhere_wins() {
    // facts §8.1 step 1: one applicable Deny in any policy ⇒ final Deny.
    let a = allow("*", "*");
    let d = deny("s3:GetObject", "*");
    for (rule, case) in [
        (
            "IAM-EVAL: deny in identity policy",
            Case {
                identity: vec![&a, &d],
                ..Default::default()
            },
        ),
        (
            "IAM-EVAL: deny in boundary",
            Case {
                identity: vec![&a],
                boundary: Some(&d),
                ..Default::default()
            },
        ),
        (
            "IAM-EVAL: deny in SCP",
            Case {
                identity: vec![&a],
                scps: vec![&a, &d],
                ..Default::default()
            },
        ),
    ] {
        let c = Case {
            rule,
            action: "s3:GetObject",
            principal: Some(ALICE),
            ..case
        };
        let dec = c.run().unwrap();
        assert_eq!(dec.decision, X, "{rule}");
        assert_eq!(dec.matched.len(), 1, "{rule}");
        assert_eq!(dec.matched[0].sid.as_deref(), Some("Deny"), "{rule}");
    }
    let rp = r#"{"Version":"2012-10-17","Statement":[{"Sid":"RDeny","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
    let c = Case {
        rule: "IAM-EVAL: deny in resource-based policy",
        identity: vec![&a],
        resource_policy: Some(rp),
        principal: Some(ALICE),
        action: "s3:GetObject",
        resource: BUCKET_OBJ,
        ..Default::default()
    };
    let dec = c.run().unwrap();
    assert_eq!(dec.decision, X);
    assert_eq!(dec.matched[0].sid.as_deref(), Some("RDeny"));
}

#[test]
fn scps_must_allow() {
    // facts §8.1 step 3: SCPs given and none allows ⇒ deny; identity ∩ SCP.
    let a = allow("s3:*", "*");
    let scp_ec2 = allow("ec2:*", "*");
    let base = Case {
        identity: vec![&a],
        principal: Some(ALICE),
        action: "s3:GetObject",
        ..Default::default()
    };
    let d = Case {
        rule: "IAM-EVAL: SCP does not allow",
        scps: vec![&scp_ec2],
        ..base
    }
    .run()
    .unwrap();
    assert_eq!(d.decision, I);
    assert_eq!(
        d.implicit_deny_reason,
        Some(ImplicitDenyReason::ScpDoesNotAllow)
    );
    let scp_s3 = allow("s3:Get*", "*");
    Case {
        rule: "IAM-EVAL: one SCP of the level allows",
        identity: vec![&a],
        scps: vec![&scp_ec2, &scp_s3],
        principal: Some(ALICE),
        action: "s3:GetObject",
        ..Default::default()
    }
    .expect(A);
    let scp_all = allow("*", "*");
    Case {
        rule: "IAM-EVAL: an SCP allow grants nothing by itself",
        scps: vec![&scp_all],
        identity: vec![&scp_ec2],
        principal: Some(ALICE),
        action: "s3:GetObject",
        ..Default::default()
    }
    .expect(I);
    // SCPs do not apply to service principals.
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    Case {
        rule: "IAM-EVAL: SCPs apply to principals of the account only",
        scps: vec![&scp_ec2],
        resource_policy: Some(trust),
        trust: true,
        principal: Some("ecs-tasks.amazonaws.com"),
        action: "sts:AssumeRole",
        resource: ROLE,
        ..Default::default()
    }
    .expect(A);
}

#[test]
fn permissions_boundary_intersects_identity() {
    // facts §8.1 step 6 / IAM-EVAL: identity ∩ permissions boundary.
    let a = allow("s3:*", "*");
    let b = allow("s3:Get*", "*");
    let c = |action| Case {
        rule: "IAM-EVAL: boundary must allow",
        identity: vec![&a],
        boundary: Some(&b),
        principal: Some(ALICE),
        action,
        ..Default::default()
    };
    c("s3:GetObject").expect(A);
    let d = c("s3:PutObject").run().unwrap();
    assert_eq!(d.decision, I);
    assert_eq!(
        d.implicit_deny_reason,
        Some(ImplicitDenyReason::BoundaryDoesNotAllow)
    );
    let only_boundary = Case {
        rule: "IAM-EVAL: a boundary alone grants nothing",
        boundary: Some(&a),
        identity: vec![&b],
        principal: Some(ALICE),
        action: "s3:PutObject",
        ..Default::default()
    };
    only_boundary.expect(I);
}

#[test]
fn resource_policy_same_account_union_and_boundary_exception() {
    // facts §8.1 step 4 and IAM-EVAL: same account, identity ∪ resource policy; a resource
    // policy grant to a user ARN or a session ARN is not limited by the boundary, one to a
    // role ARN is; a grant to the account delegates to identity policies.
    let grant = |p: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Grant","Effect":"Allow","Principal":{{"AWS":"{p}"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}}]}}"#
        )
    };
    let boundary = allow("ec2:*", "*");
    let none = allow("ec2:*", "*");
    let run = |rp: &str, principal: &str, boundary: Option<&str>| {
        Case {
            rule: "resource policy union",
            identity: vec![&none],
            boundary,
            resource_policy: Some(rp),
            principal: Some(principal),
            action: "s3:GetObject",
            resource: BUCKET_OBJ,
            ..Default::default()
        }
        .run()
        .unwrap()
        .decision
    };
    assert_eq!(
        run(&grant(ALICE), ALICE, None),
        A,
        "user ARN granted directly"
    );
    assert_eq!(
        run(&grant(ALICE), ALICE, Some(&boundary)),
        A,
        "user ARN: not limited by boundary"
    );
    assert_eq!(
        run(&grant(SESSION), SESSION, Some(&boundary)),
        A,
        "session ARN: not limited by boundary"
    );
    assert_eq!(
        run(&grant(ROLE), SESSION, None),
        A,
        "role ARN grant reaches its sessions"
    );
    assert_eq!(
        run(&grant(ROLE), SESSION, Some(&boundary)),
        I,
        "role ARN: limited by boundary"
    );
    assert_eq!(
        run(&grant(ROLE), ROLE, Some(&boundary)),
        I,
        "role ARN: limited by boundary"
    );
    assert_eq!(
        run(&grant("111122223333"), ALICE, None),
        I,
        "account grant needs identity allow"
    );
    assert_eq!(
        run(&grant("arn:aws:iam::111122223333:root"), ALICE, None),
        I,
        "root ARN ≡ account ID"
    );
    // With an identity allow, the account grant is enough.
    let id = allow("s3:GetObject", "*");
    let d = Case {
        rule: "IAM-EVAL: identity allow, resource policy names the account",
        identity: vec![&id],
        resource_policy: Some(&grant("111122223333")),
        principal: Some(ALICE),
        action: "s3:GetObject",
        resource: BUCKET_OBJ,
        ..Default::default()
    }
    .run()
    .unwrap();
    assert_eq!(d.decision, A);
    assert_eq!(d.matched.len(), 2, "both allowing statements are named");
}

#[test]
fn cross_account_needs_both() {
    // facts §8.2 / IAM-EVAL-XACCT: allowed only if both accounts allow.
    let rp = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}"#;
    let id = allow("s3:GetObject", "arn:aws:s3:::example-bucket/*");
    let base = |identity: Vec<&'static str>, rp: Option<&'static str>| Case {
        rule: "IAM-EVAL-XACCT",
        identity,
        resource_policy: rp,
        principal: Some(OTHER),
        action: "s3:GetObject",
        resource: BUCKET_OBJ,
        resource_account: Some("111122223333"),
        ..Default::default()
    };
    let id: &'static str = Box::leak(id.into_boxed_str());
    base(vec![id], Some(rp)).expect(A);
    let d = base(vec![], Some(rp)).run().unwrap();
    assert_eq!(d.decision, I);
    assert_eq!(
        d.implicit_deny_reason,
        Some(ImplicitDenyReason::CrossAccountIdentityDoesNotAllow)
    );
    let d = base(vec![id], None).run().unwrap();
    assert_eq!(d.decision, I);
    assert_eq!(
        d.implicit_deny_reason,
        Some(ImplicitDenyReason::CrossAccountResourcePolicyDoesNotAllow)
    );
    // The account of an ARN with an account part decides when --resource-account is absent.
    let r = allow("sqs:SendMessage", "*");
    Case {
        rule: "IAM-EVAL-XACCT: resource account from the ARN",
        identity: vec![&r],
        principal: Some(ALICE),
        action: "sqs:SendMessage",
        resource: "arn:aws:sqs:us-east-1:999999999999:queue",
        ..Default::default()
    }
    .expect(I);
}

#[test]
fn role_trust_policies() {
    // facts §8.1 step 4: role trust policies must explicitly allow the principal; facts §2.1
    // (ecsCodeDeployRole trust policy).
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":["codedeploy.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#;
    let c = |principal| Case {
        rule: "IAM-EVAL: trust policy must allow",
        resource_policy: Some(trust),
        trust: true,
        principal: Some(principal),
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::111122223333:role/ecsCodeDeployRole",
        ..Default::default()
    };
    c("codedeploy.amazonaws.com").expect(A);
    c("ecs.amazonaws.com").expect(I);
    let a = allow("sts:AssumeRole", "*");
    let d = Case {
        identity: vec![&a],
        ..c(ALICE)
    }
    .run()
    .unwrap();
    assert_eq!(d.decision, I, "identity allow alone cannot assume a role");
    assert_eq!(
        d.implicit_deny_reason,
        Some(ImplicitDenyReason::TrustPolicyDoesNotAllow)
    );
    let acct = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}"#;
    let base = |identity: Vec<&'static str>| Case {
        rule: "IAM-EVAL: trust to the account delegates to identity policies",
        identity,
        resource_policy: Some(acct),
        trust: true,
        principal: Some(ALICE),
        action: "sts:AssumeRole",
        resource: ROLE,
        ..Default::default()
    };
    base(vec![]).expect(I);
    let a: &'static str = Box::leak(a.into_boxed_str());
    base(vec![a]).expect(A);
}

// ----------------------------------------------------- Action / NotAction (IAM-ACTION, §6.2/6.3)

#[test]
fn action_matching() {
    let cases: &[(&str, &str, &str, Verdict)] = &[
        (
            "IAM-ACTION: case-insensitive",
            "IAM:listaccesskeys",
            "iam:ListAccessKeys",
            A,
        ),
        (
            "IAM-ACTION: * in the name",
            "iam:*AccessKey*",
            "iam:CreateAccessKey",
            A,
        ),
        (
            "IAM-ACTION: * in the name (no match)",
            "iam:*AccessKey*",
            "iam:CreateUser",
            I,
        ),
        (
            "IAM-ACTION: ? is one character",
            "s3:GetObjec?",
            "s3:GetObject",
            A,
        ),
        (
            "IAM-ACTION: ? is exactly one",
            "s3:GetObjec?",
            "s3:GetObjectAcl",
            I,
        ),
        ("IAM-ACTION: service:*", "ecs:*", "ECS:UpdateService", A),
        ("IAM-ACTION: *", "*", "sts:AssumeRole", A),
        (
            "IAM-ACTION: prefix is not a substring",
            "s3:Get",
            "s3:GetObject",
            I,
        ),
    ];
    for (rule, pattern, action, want) in cases {
        let p = allow(pattern, "*");
        Case {
            rule,
            identity: vec![&p],
            action,
            ..Default::default()
        }
        .expect(*want);
    }
}

#[test]
fn not_action() {
    // facts §8.3 / IAM-NOTACTION.
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#;
    let c = |action| Case {
        rule: "IAM-NOTACTION: Allow + NotAction",
        identity: vec![p],
        action,
        ..Default::default()
    };
    c("s3:GetObject").expect(A);
    c("iam:CreateUser").expect(I);
    let scoped = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:DeleteBucket","Resource":"arn:aws:s3:::*"}]}"#;
    let c2 = |action, resource| Case {
        rule: "IAM-NOTACTION: applies only to matching resources",
        identity: vec![scoped],
        action,
        resource,
        ..Default::default()
    };
    c2("s3:GetObject", BUCKET_OBJ).expect(A);
    c2("s3:ListAllMyBuckets", "*").expect(I);
    c2("s3:DeleteBucket", "arn:aws:s3:::example-bucket").expect(I);
    let a = allow("*", "*");
    let mfa = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAllExceptIamWithoutMfa","Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}"#;
    let c3 = |action, ctx| Case {
        rule: "IAM-NOTACTION: Deny + NotAction",
        identity: vec![&a, mfa],
        action,
        context: ctx,
        ..Default::default()
    };
    c3("s3:GetObject", vec![]).expect(X);
    c3("iam:ChangePassword", vec![]).expect(A);
    c3("s3:GetObject", vec![("aws:MultiFactorAuthPresent", "true")]).expect(A);
}

// --------------------------------------------- Resource / NotResource (IAM-RESOURCE, §6.3)

#[test]
fn resource_matching() {
    let cases: &[(&str, &str, &str, Verdict)] = &[
        (
            "IAM-RESOURCE: * crosses /",
            "arn:aws:s3:::bucket/*/test/*",
            "arn:aws:s3:::bucket/1/2/test/3/object.jpg",
            A,
        ),
        (
            "IAM-RESOURCE: case-sensitive",
            "arn:aws:s3:::Bucket/*",
            "arn:aws:s3:::bucket/x",
            I,
        ),
        (
            "IAM-RESOURCE: ? one character",
            "arn:aws:s3:::bucket/?",
            "arn:aws:s3:::bucket/a",
            A,
        ),
        (
            "IAM-RESOURCE: segment-wise",
            "arn:aws:ecs:*:111122223333:service/*",
            "arn:aws:ecs:us-east-1:111122223333:service/c/s",
            A,
        ),
        (
            "IAM-RESOURCE: * does not cross segments",
            "arn:aws:iam::*:role/x",
            "arn:aws:iam::111122223333:role/x",
            A,
        ),
        (
            "IAM-RESOURCE: account segment must match",
            "arn:aws:iam::111122223333:role/*",
            "arn:aws:iam::999999999999:role/x",
            I,
        ),
        (
            "IAM-RESOURCE: ARN pattern never matches *",
            "arn:aws:s3:::*",
            "*",
            I,
        ),
        ("IAM-RESOURCE: * matches *", "*", "*", A),
        (
            "IAM-RESOURCE: resource part keeps colons",
            "arn:aws:logs:*:*:log-group:/ecs/*",
            "arn:aws:logs:us-east-1:1:log-group:/ecs/app:log-stream:x",
            A,
        ),
    ];
    for (rule, pattern, resource, want) in cases {
        let p = allow("s3:GetObject", pattern);
        Case {
            rule,
            identity: vec![&p],
            action: "s3:GetObject",
            resource,
            ..Default::default()
        }
        .expect(*want);
    }
}

#[test]
fn not_resource() {
    // facts §8.3 / IAM-NOTRESOURCE.
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}]}"#;
    let c = |resource| Case {
        rule: "IAM-NOTRESOURCE: Allow + NotResource",
        identity: vec![p],
        action: "s3:GetObject",
        resource,
        ..Default::default()
    };
    c(BUCKET_OBJ).expect(A);
    c("arn:aws:s3:::secret/k").expect(I);
    let a = allow("*", "*");
    let d = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::allowed","arn:aws:s3:::allowed/*"]}]}"#;
    let c2 = |action, resource| Case {
        rule: "IAM-NOTRESOURCE: Deny + NotResource, scoped to the actions' service",
        identity: vec![&a, d],
        action,
        resource,
        ..Default::default()
    };
    c2("s3:GetObject", BUCKET_OBJ).expect(X);
    c2("s3:GetObject", "arn:aws:s3:::allowed/k").expect(A);
    c2("ec2:RunInstances", "*").expect(A);
}

// ----------------------------------------------- Principal / NotPrincipal (IAM-PRINCIPAL)

#[test]
fn principal_matching() {
    let rp = |principal: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"s3:GetObject","Resource":"*"}}]}}"#
        )
    };
    let cases: &[(&str, &str, &str, Verdict)] = &[
        ("IAM-PRINCIPAL: \"*\" is everyone", r#""*""#, ALICE, A),
        (
            "IAM-PRINCIPAL: {\"AWS\":\"*\"} is everyone",
            r#"{"AWS":"*"}"#,
            ALICE,
            A,
        ),
        (
            "IAM-PRINCIPAL: \"*\" includes anonymous",
            r#""*""#,
            "anonymous",
            A,
        ),
        (
            "IAM-PRINCIPAL: user ARN",
            &format!(r#"{{"AWS":"{ALICE}"}}"#),
            ALICE,
            A,
        ),
        (
            "IAM-PRINCIPAL: user name is case-sensitive",
            r#"{"AWS":"arn:aws:iam::111122223333:user/Alice"}"#,
            ALICE,
            I,
        ),
        (
            "IAM-PRINCIPAL: other user",
            r#"{"AWS":"arn:aws:iam::111122223333:user/bob"}"#,
            ALICE,
            I,
        ),
        (
            "IAM-PRINCIPAL: session ARN",
            &format!(r#"{{"AWS":"{SESSION}"}}"#),
            SESSION,
            A,
        ),
        (
            "IAM-PRINCIPAL: service principal",
            r#"{"Service":"ecs-tasks.amazonaws.com"}"#,
            "ecs-tasks.amazonaws.com",
            A,
        ),
        (
            "IAM-PRINCIPAL: service principal is not an AWS principal",
            r#"{"AWS":"arn:aws:iam::111122223333:root"}"#,
            "ecs-tasks.amazonaws.com",
            I,
        ),
        (
            "IAM-PRINCIPAL: federated",
            r#"{"Federated":"cognito-identity.amazonaws.com"}"#,
            "cognito-identity.amazonaws.com",
            A,
        ),
        (
            "IAM-PRINCIPAL: anonymous is not an account",
            r#"{"AWS":"111122223333"}"#,
            "anonymous",
            I,
        ),
    ];
    for (rule, principal, caller, want) in cases {
        let p = rp(principal);
        Case {
            rule,
            resource_policy: Some(&p),
            principal: Some(caller),
            action: "s3:GetObject",
            resource: BUCKET_OBJ,
            ..Default::default()
        }
        .expect(*want);
    }
}

#[test]
fn not_principal() {
    // IAM-NOTPRINCIPAL: with Deny, a principal is excluded only when its account (and, for a
    // session, the role) is listed too.
    let a = allow("*", "*");
    let np = |list: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}},{{"Effect":"Deny","NotPrincipal":{{"AWS":[{list}]}},"Action":"s3:*","Resource":"*"}}]}}"#
        )
    };
    let run = |list: &str, who: &str| {
        let rp = np(list);
        Case {
            rule: "IAM-NOTPRINCIPAL",
            identity: vec![&a],
            resource_policy: Some(&rp),
            principal: Some(who),
            action: "s3:GetObject",
            resource: BUCKET_OBJ,
            ..Default::default()
        }
        .run()
        .unwrap()
        .decision
    };
    let bob = "arn:aws:iam::111122223333:user/bob";
    assert_eq!(
        run(&format!(r#""{bob}","arn:aws:iam::111122223333:root""#), bob),
        A
    );
    assert_eq!(
        run(&format!(r#""{bob}""#), bob),
        X,
        "account not listed: Bob is denied"
    );
    assert_eq!(
        run(
            &format!(r#""{bob}","arn:aws:iam::111122223333:root""#),
            ALICE
        ),
        X
    );
    assert_eq!(
        run(
            &format!(r#""{ROLE}","{SESSION}","arn:aws:iam::111122223333:root""#),
            SESSION
        ),
        A
    );
    assert_eq!(
        run(
            &format!(r#""{ROLE}","arn:aws:iam::111122223333:root""#),
            SESSION
        ),
        X
    );
}

// ------------------------------------------------------------- conditions (IAM-CONDOPS)

#[test]
fn string_operators() {
    let k = "aws:PrincipalTag/team";
    let t = |v| vec![(k, v)];
    check_cond(
        "IAM-CONDOPS StringEquals: exact",
        "StringEquals",
        k,
        r#""red""#,
        &t("red"),
        A,
    );
    check_cond(
        "IAM-CONDOPS StringEquals: case-sensitive",
        "StringEquals",
        k,
        r#""red""#,
        &t("Red"),
        I,
    );
    check_cond(
        "facts §6.3 StringEquals: * is literal",
        "StringEquals",
        k,
        r#""r*""#,
        &t("red"),
        I,
    );
    check_cond(
        "IAM-MULTIVAL: values are ORed",
        "StringEquals",
        k,
        r#"["blue","red"]"#,
        &t("red"),
        A,
    );
    check_cond(
        "IAM-CONDOPS StringNotEquals",
        "StringNotEquals",
        k,
        r#""red""#,
        &t("blue"),
        A,
    );
    check_cond(
        "IAM-MULTIVAL: negated, several values: matches none",
        "StringNotEquals",
        k,
        r#"["blue","red"]"#,
        &t("red"),
        I,
    );
    check_cond(
        "IAM-CONDOPS StringEqualsIgnoreCase",
        "StringEqualsIgnoreCase",
        k,
        r#""RED""#,
        &t("red"),
        A,
    );
    check_cond(
        "IAM-CONDOPS StringNotEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        k,
        r#""RED""#,
        &t("red"),
        I,
    );
    check_cond(
        "IAM-CONDOPS StringLike *",
        "StringLike",
        k,
        r#""r*""#,
        &t("red"),
        A,
    );
    check_cond(
        "IAM-CONDOPS StringLike ?",
        "StringLike",
        k,
        r#""r?d""#,
        &t("red"),
        A,
    );
    check_cond(
        "IAM-CONDOPS StringLike case-sensitive",
        "StringLike",
        k,
        r#""R*""#,
        &t("red"),
        I,
    );
    check_cond(
        "IAM-CONDOPS StringNotLike",
        "StringNotLike",
        k,
        r#""r*""#,
        &t("blue"),
        A,
    );
    check_cond(
        "IAM-CONDOPS StringNotLike (match)",
        "StringNotLike",
        k,
        r#""r*""#,
        &t("red"),
        I,
    );
    check_cond(
        "facts §6.2 key names are case-insensitive",
        "StringEquals",
        "AWS:PRINCIPALTAG/TEAM",
        r#""red""#,
        &t("red"),
        A,
    );
}

#[test]
fn missing_key_behaviour() {
    // facts §6.6 / IAM-CONDOPS: absent key ⇒ positive false, negated true; IfExists true.
    let k = "aws:SourceVpc";
    check_cond(
        "IAM-CONDOPS: absent, positive",
        "StringEquals",
        k,
        r#""vpc-1""#,
        &[],
        I,
    );
    check_cond(
        "IAM-CONDOPS: absent, negated",
        "StringNotEquals",
        k,
        r#""vpc-1""#,
        &[],
        A,
    );
    check_cond(
        "IAM-CONDOPS: absent, NotIpAddress",
        "NotIpAddress",
        "aws:SourceIp",
        r#""10.0.0.0/8""#,
        &[],
        A,
    );
    check_cond(
        "IAM-CONDOPS: absent, ArnNotLike",
        "ArnNotLike",
        "aws:SourceArn",
        r#""arn:aws:s3:::x""#,
        &[],
        A,
    );
    check_cond(
        "IAM-CONDOPS: absent, IfExists",
        "StringEqualsIfExists",
        k,
        r#""vpc-1""#,
        &[],
        A,
    );
    check_cond(
        "IAM-CONDOPS: present, IfExists",
        "StringEqualsIfExists",
        k,
        r#""vpc-1""#,
        &[(k, "vpc-2")],
        I,
    );
    check_cond(
        "IAM-CONDOPS: absent, NumericLessThan",
        "NumericLessThan",
        "aws:MultiFactorAuthAge",
        "3600",
        &[],
        I,
    );
    // Missing keys are reported.
    let p = cond("StringEquals", "aws:SourceVpc", r#""vpc-1""#);
    let d = Case {
        rule: "missing keys reported",
        identity: vec![&p],
        action: "s3:GetObject",
        ..Default::default()
    }
    .run()
    .unwrap();
    assert_eq!(d.missing_context_keys, vec!["aws:SourceVpc".to_string()]);
    // One entry per key whatever its spelling (key names are case-insensitive).
    let p2 = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"AWS:SOURCEVPC":"vpc-1"},"Bool":{"aws:SecureTransport":"false"}}}]}"#;
    let d = Case {
        rule: "missing keys deduplicated",
        identity: vec![p2],
        action: "s3:GetObject",
        ..Default::default()
    }
    .run()
    .unwrap();
    assert_eq!(
        d.missing_context_keys.len(),
        2,
        "{:?}",
        d.missing_context_keys
    );
    assert!(d.missing_context_keys[0].eq_ignore_ascii_case("aws:SecureTransport"));
}

#[test]
fn negated_if_exists_in_a_deny() {
    // hardening F7 / IAM-CONDOPS: "If you are using an Effect Deny with a negated condition
    // operator like StringNotEqualsIfExists, the request is still denied even if the tag is
    // missing."
    let a = allow("*", "*");
    let d = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:ResourceTag/env":"dev"}}}]}"#;
    let c = |ctx| Case {
        rule: "IAM-CONDOPS: negated IfExists deny",
        identity: vec![&a, d],
        action: "ec2:StopInstances",
        context: ctx,
        ..Default::default()
    };
    c(vec![]).expect(X);
    c(vec![("aws:ResourceTag/env", "prod")]).expect(X);
    c(vec![("aws:ResourceTag/env", "dev")]).expect(A);
}

#[test]
fn numeric_operators() {
    let k = "s3:max-keys";
    let v = |x| vec![(k, x)];
    check_cond(
        "IAM-CONDOPS NumericEquals",
        "NumericEquals",
        k,
        "10",
        &v("10"),
        A,
    );
    check_cond(
        "IAM-CONDOPS NumericEquals decimal",
        "NumericEquals",
        k,
        r#""10.0""#,
        &v("10"),
        A,
    );
    check_cond(
        "IAM-CONDOPS NumericNotEquals",
        "NumericNotEquals",
        k,
        "10",
        &v("10"),
        I,
    );
    check_cond(
        "IAM-CONDOPS NumericLessThan",
        "NumericLessThan",
        k,
        "10",
        &v("9"),
        A,
    );
    check_cond(
        "IAM-CONDOPS NumericLessThan (equal)",
        "NumericLessThan",
        k,
        "10",
        &v("10"),
        I,
    );
    check_cond(
        "IAM-CONDOPS NumericLessThanEquals",
        "NumericLessThanEquals",
        k,
        "10",
        &v("10"),
        A,
    );
    check_cond(
        "IAM-CONDOPS NumericGreaterThan",
        "NumericGreaterThan",
        k,
        "10",
        &v("11"),
        A,
    );
    check_cond(
        "IAM-CONDOPS NumericGreaterThan (equal)",
        "NumericGreaterThan",
        k,
        "10",
        &v("10"),
        I,
    );
    check_cond(
        "IAM-CONDOPS NumericGreaterThanEquals",
        "NumericGreaterThanEquals",
        k,
        "10",
        &v("10"),
        A,
    );
}

#[test]
fn date_operators() {
    let k = "aws:CurrentTime";
    let v = |x| vec![(k, x)];
    let t = r#""2020-01-01T00:00:00Z""#;
    check_cond(
        "IAM-CONDOPS DateEquals ISO 8601",
        "DateEquals",
        k,
        t,
        &v("2020-01-01T00:00:00Z"),
        A,
    );
    check_cond(
        "IAM-CONDOPS DateEquals epoch ≡ ISO",
        "DateEquals",
        k,
        t,
        &v("1577836800"),
        A,
    );
    check_cond(
        "IAM-CONDOPS DateEquals epoch in policy",
        "DateEquals",
        k,
        "1577836800",
        &v("2020-01-01T00:00:00Z"),
        A,
    );
    check_cond(
        "IAM-CONDOPS DateNotEquals",
        "DateNotEquals",
        k,
        t,
        &v("2020-01-02T00:00:00Z"),
        A,
    );
    check_cond(
        "IAM-CONDOPS DateLessThan",
        "DateLessThan",
        k,
        t,
        &v("2019-12-31T23:59:59Z"),
        A,
    );
    check_cond(
        "IAM-CONDOPS DateLessThan (equal)",
        "DateLessThan",
        k,
        t,
        &v("2020-01-01T00:00:00Z"),
        I,
    );
    check_cond(
        "IAM-CONDOPS DateLessThanEquals",
        "DateLessThanEquals",
        k,
        t,
        &v("2020-01-01T00:00:00Z"),
        A,
    );
    check_cond(
        "IAM-CONDOPS DateGreaterThan",
        "DateGreaterThan",
        k,
        t,
        &v("2020-01-01T00:00:01Z"),
        A,
    );
    check_cond(
        "IAM-CONDOPS DateGreaterThanEquals",
        "DateGreaterThanEquals",
        k,
        t,
        &v("2019-12-31T00:00:00Z"),
        I,
    );
    check_cond(
        "IAM-CONDOPS DateEquals with offset",
        "DateEquals",
        k,
        t,
        &v("2020-01-01T01:00:00+01:00"),
        A,
    );
}

#[test]
fn bool_binary_null() {
    let k = "aws:SecureTransport";
    check_cond("IAM-CONDOPS Bool", "Bool", k, "true", &[(k, "true")], A);
    check_cond(
        "IAM-CONDOPS Bool (string)",
        "Bool",
        k,
        r#""false""#,
        &[(k, "true")],
        I,
    );
    check_cond(
        "IAM-CONDOPS BoolIfExists absent",
        "BoolIfExists",
        k,
        "true",
        &[],
        A,
    );
    check_cond(
        "IAM-CONDOPS BinaryEquals",
        "BinaryEquals",
        "key",
        r#""QmluYXJ5VmFsdWVJbkJhc2U2NA==""#,
        &[("key", "QmluYXJ5VmFsdWVJbkJhc2U2NA==")],
        A,
    );
    check_cond(
        "IAM-CONDOPS BinaryEquals (other)",
        "BinaryEquals",
        "key",
        r#""QmluYXJ5""#,
        &[("key", "QmluYXJ6")],
        I,
    );
    check_cond(
        "IAM-CONDOPS Null true: absent",
        "Null",
        "aws:TokenIssueTime",
        "true",
        &[],
        A,
    );
    check_cond(
        "IAM-CONDOPS Null true: present",
        "Null",
        "aws:TokenIssueTime",
        "true",
        &[("aws:TokenIssueTime", "2020-01-01T00:00:00Z")],
        I,
    );
    check_cond(
        "IAM-CONDOPS Null false: present",
        "Null",
        "aws:TokenIssueTime",
        "false",
        &[("aws:TokenIssueTime", "x")],
        A,
    );
    check_cond(
        "IAM-CONDOPS Null false: absent",
        "Null",
        "aws:TokenIssueTime",
        "false",
        &[],
        I,
    );
}

#[test]
fn ip_operators() {
    let k = "aws:SourceIp";
    check_cond(
        "IAM-CONDOPS IpAddress v4 CIDR",
        "IpAddress",
        k,
        r#""203.0.113.0/24""#,
        &[(k, "203.0.113.7")],
        A,
    );
    check_cond(
        "IAM-CONDOPS IpAddress v4 outside",
        "IpAddress",
        k,
        r#""203.0.113.0/24""#,
        &[(k, "203.0.114.7")],
        I,
    );
    check_cond(
        "IAM-CONDOPS IpAddress bare IP is /32",
        "IpAddress",
        k,
        r#""203.0.113.7""#,
        &[(k, "203.0.113.7")],
        A,
    );
    check_cond(
        "IAM-CONDOPS IpAddress v6 CIDR",
        "IpAddress",
        k,
        r#""2001:DB8:1234:5678::/64""#,
        &[(k, "2001:db8:1234:5678::9")],
        A,
    );
    check_cond(
        "IAM-CONDOPS IpAddress v4 and v6 listed",
        "IpAddress",
        k,
        r#"["203.0.113.0/24","2001:DB8:1234:5678::/64"]"#,
        &[(k, "2001:db8:1234:5678::9")],
        A,
    );
    check_cond(
        "IAM-CONDOPS NotIpAddress",
        "NotIpAddress",
        k,
        r#""203.0.113.0/24""#,
        &[(k, "198.51.100.1")],
        A,
    );
    check_cond(
        "IAM-CONDOPS NotIpAddress (inside)",
        "NotIpAddress",
        k,
        r#""203.0.113.0/24""#,
        &[(k, "203.0.113.1")],
        I,
    );
}

#[test]
fn arn_operators() {
    let k = "aws:SourceArn";
    let v = |x| vec![(k, x)];
    check_cond(
        "IAM-CONDOPS ArnEquals",
        "ArnEquals",
        k,
        r#""arn:aws:sns:us-east-1:111122223333:t""#,
        &v("arn:aws:sns:us-east-1:111122223333:t"),
        A,
    );
    check_cond(
        "IAM-CONDOPS ArnEquals ≡ ArnLike (wildcards)",
        "ArnEquals",
        k,
        r#""arn:aws:sns:*:111122223333:*""#,
        &v("arn:aws:sns:us-east-1:111122223333:t"),
        A,
    );
    check_cond(
        "IAM-CONDOPS ArnLike",
        "ArnLike",
        k,
        r#""arn:aws:codedeploy:*:111122223333:deploymentgroup:*""#,
        &v("arn:aws:codedeploy:us-east-1:111122223333:deploymentgroup:app/dg"),
        A,
    );
    check_cond(
        "facts §6.3 ArnLike is segment-wise (StringLike would match)",
        "ArnLike",
        k,
        r#""arn:aws:someservice:*:111122223333:finance/*""#,
        &v(
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
        ),
        I,
    );
    check_cond(
        "facts §6.3 StringLike crosses segments",
        "StringLike",
        k,
        r#""arn:aws:someservice:*:111122223333:finance/*""#,
        &v(
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
        ),
        A,
    );
    check_cond(
        "IAM-CONDOPS ArnNotEquals",
        "ArnNotEquals",
        k,
        r#""arn:aws:s3:::a""#,
        &v("arn:aws:s3:::b"),
        A,
    );
    check_cond(
        "IAM-CONDOPS ArnNotLike",
        "ArnNotLike",
        k,
        r#""arn:aws:s3:::a*""#,
        &v("arn:aws:s3:::abc"),
        I,
    );
    check_cond(
        "IAM-CONDOPS ArnLike case-sensitive",
        "ArnLike",
        k,
        r#""arn:aws:s3:::A*""#,
        &v("arn:aws:s3:::abc"),
        I,
    );
}

#[test]
fn arn_operator_on_a_non_arn_is_an_error() {
    // hardening F15: a negated ARN operator must not turn "cannot parse" into "allow".
    let p = cond(
        "ArnNotLike",
        "aws:PrincipalArn",
        r#""arn:aws:iam::*:role/x""#,
    );
    let e = Case {
        rule: "F15",
        identity: vec![&p],
        action: "s3:GetObject",
        context: vec![("aws:PrincipalArn", "boop")],
        ..Default::default()
    }
    .run()
    .unwrap_err();
    assert!(matches!(e, EvalError::InvalidContextValue { .. }), "{e}");
}

#[test]
fn set_operators() {
    // facts §6.6 / IAM-MULTIVAL.
    let k = "aws:TagKeys";
    let allowed = r#"["env","team"]"#;
    let fav = "ForAllValues:StringEquals";
    let fany = "ForAnyValue:StringEquals";
    check_cond(
        "IAM-MULTIVAL ForAllValues: all in set",
        fav,
        k,
        allowed,
        &[(k, "env"), (k, "team")],
        A,
    );
    check_cond(
        "IAM-MULTIVAL ForAllValues: one outside",
        fav,
        k,
        allowed,
        &[(k, "env"), (k, "cost")],
        I,
    );
    check_cond(
        "IAM-MULTIVAL ForAllValues: absent key is true (vacuous)",
        fav,
        k,
        allowed,
        &[],
        A,
    );
    check_cond(
        "IAM-MULTIVAL ForAnyValue: one in set",
        fany,
        k,
        allowed,
        &[(k, "cost"), (k, "env")],
        A,
    );
    check_cond(
        "IAM-MULTIVAL ForAnyValue: none in set",
        fany,
        k,
        allowed,
        &[(k, "cost")],
        I,
    );
    check_cond(
        "IAM-MULTIVAL ForAnyValue: absent key is false",
        fany,
        k,
        allowed,
        &[],
        I,
    );
    check_cond(
        "IAM-MULTIVAL ForAllValues:StringNotEquals",
        "ForAllValues:StringNotEquals",
        k,
        allowed,
        &[(k, "cost")],
        A,
    );
    check_cond(
        "IAM-MULTIVAL ForAnyValue:StringNotEquals",
        "ForAnyValue:StringNotEquals",
        k,
        allowed,
        &[(k, "env"), (k, "cost")],
        A,
    );
    check_cond(
        "IAM-MULTIVAL ForAnyValue:StringLike",
        "ForAnyValue:StringLike",
        k,
        r#""t*""#,
        &[(k, "team")],
        A,
    );
    check_cond(
        "hardening F11 ForAllValues:Null always true",
        "ForAllValues:Null",
        k,
        "false",
        &[],
        A,
    );
    check_cond(
        "hardening F11 ForAnyValue:Null always false",
        "ForAnyValue:Null",
        k,
        "true",
        &[],
        I,
    );
    check_cond(
        "IAM-CONDOPS ForAnyValue...IfExists absent",
        "ForAnyValue:StringEqualsIfExists",
        k,
        allowed,
        &[],
        A,
    );
}

// ------------------------------------------------------------- policy variables (IAM-VARS)

#[test]
fn policy_variables() {
    let home = |version: &str| {
        format!(
            r#"{{{version}"Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${{aws:username}}/*"}}]}}"#
        )
    };
    let v2012 = home(r#""Version":"2012-10-17","#);
    fn c<'a>(p: &'a str, resource: &'a str, ctx: Vec<(&'a str, &'a str)>) -> Case<'a> {
        Case {
            rule: "IAM-VARS",
            identity: vec![],
            action: "s3:GetObject",
            resource,
            context: ctx,
            ..Default::default()
        }
        .with_identity(p)
    }
    c(
        &v2012,
        "arn:aws:s3:::home/alice/x",
        vec![("aws:username", "alice")],
    )
    .expect(A);
    c(
        &v2012,
        "arn:aws:s3:::home/bob/x",
        vec![("aws:username", "alice")],
    )
    .expect(I);
    // A variable without a value: the resource matches nothing (IAM-VARS).
    let d = c(&v2012, "arn:aws:s3:::home//x", vec![]).run().unwrap();
    assert_eq!(d.decision, I);
    assert_eq!(d.missing_context_keys, vec!["aws:username".to_string()]);
    // Without Version 2012-10-17 the variable is literal text (facts §6.1, IAM-VERSION).
    let none = home("");
    c(
        &none,
        "arn:aws:s3:::home/alice/x",
        vec![("aws:username", "alice")],
    )
    .expect(I);
    c(
        &none,
        "arn:aws:s3:::home/${aws:username}/x",
        vec![("aws:username", "alice")],
    )
    .expect(A);
    let v2008 = home(r#""Version":"2008-10-17","#);
    c(
        &v2008,
        "arn:aws:s3:::home/alice/x",
        vec![("aws:username", "alice")],
    )
    .expect(I);
    // Escapes and defaults (facts §6.4).
    let esc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${*}${?}${$}"}]}"#;
    c(esc, "arn:aws:s3:::b/*?$", vec![]).expect(A);
    c(esc, "arn:aws:s3:::b/xy$", vec![]).expect(I);
    let def = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'company-wide'}"}}}]}"#;
    c(def, "*", vec![("s3:prefix", "company-wide")]).expect(A);
    c(
        def,
        "*",
        vec![
            ("s3:prefix", "company-wide"),
            ("aws:PrincipalTag/team", "red"),
        ],
    )
    .expect(I);
    // Condition with a variable that has no value: StringEquals false, StringNotEquals true.
    let eq = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"${aws:username}/"}}}]}"#;
    c(eq, "*", vec![("s3:prefix", "/")]).expect(I);
    let ne = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"s3:prefix":"${aws:username}/"}}}]}"#;
    c(ne, "*", vec![("s3:prefix", "/")]).expect(A);
}

trait WithIdentity<'a> {
    fn with_identity(self, p: &'a str) -> Case<'a>;
}

impl<'a> WithIdentity<'a> for Case<'a> {
    fn with_identity(mut self, p: &'a str) -> Case<'a> {
        self.identity.push(p);
        self
    }
}

// ------------------------------------------------------------- compile-time errors

#[test]
fn undecidable_policies_are_compile_errors() {
    let bad: &[(&str, &str, &str)] = &[
        (
            "invalid-condition-value",
            "identity",
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"k":"ten"}}}]}"#,
        ),
        (
            "invalid-condition-value",
            "identity",
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"k":"tomorrow"}}}]}"#,
        ),
        (
            "invalid-condition-value",
            "identity",
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"k":"10.0.0.0/40"}}}]}"#,
        ),
        (
            "invalid-condition-value",
            "identity",
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"k":"yes"}}}]}"#,
        ),
        (
            "invalid-condition-value",
            "identity",
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnLike":{"k":"not-an-arn"}}}]}"#,
        ),
        (
            "invalid-condition-value",
            "identity",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"${aws:username"}}}]}"#,
        ),
        (
            "invalid-resource",
            "identity",
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3"}]}"#,
        ),
        (
            "invalid-action",
            "identity",
            r#"{"Statement":[{"Effect":"Allow","Action":"s3GetObject","Resource":"*"}]}"#,
        ),
        (
            "missing-resource",
            "identity",
            r#"{"Statement":[{"Effect":"Allow","Action":"*"}]}"#,
        ),
        (
            "invalid-policy-element",
            "identity",
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
        ),
        (
            "missing-principal",
            "resource",
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        ),
        (
            "invalid-principal",
            "resource",
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"*","Resource":"*"}]}"#,
        ),
        (
            "invalid-policy-element",
            "trust",
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]}"#,
        ),
    ];
    for (code, kind, text) in bad {
        let p = pol("bad.json", text);
        let mut set = PolicySet::default();
        match *kind {
            "identity" => set.identity.push(p),
            "resource" => set.resource_policy = Some(p),
            _ => set = PolicySet::role_trust(p),
        }
        let e = set.compile().unwrap_err();
        assert_eq!(e.code, *code, "{text}");
    }
}

#[test]
fn scps_do_not_restrict_service_linked_roles() {
    // "SCPs don't affect service-linked roles"
    // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html,
    // "Tasks and entities not restricted by SCPs"): neither an SCP's Deny nor an allow list
    // that leaves the action out keeps a service-linked role from it. A role elsewhere is.
    let a = allow("*", "*");
    let deny_ec2 = deny("ec2:RunInstances", "*");
    let allow_list = allow("s3:ListAllMyBuckets", "*");
    let slr = "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
    for (rule, scp, who, want) in [
        ("IAM-EVAL: SCP Deny, service-linked role", &deny_ec2, slr, A),
        (
            "IAM-EVAL: SCP allow list, service-linked role",
            &allow_list,
            slr,
            A,
        ),
        ("IAM-EVAL: SCP Deny, ordinary role", &deny_ec2, ROLE, X),
        (
            "IAM-EVAL: SCP allow list, ordinary role",
            &allow_list,
            ROLE,
            I,
        ),
    ] {
        Case {
            rule,
            identity: vec![&a],
            scps: vec![scp],
            principal: Some(who),
            action: "ec2:RunInstances",
            resource: "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0",
            ..Default::default()
        }
        .expect(want);
    }
}

#[test]
fn not_principal_deny_always_denies_a_bounded_principal() {
    // "The NotPrincipal element with a Deny effect will always deny any IAM principal that has
    // a permissions boundary policy attached, regardless of the values specified in the
    // NotPrincipal element"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)
    let a = allow("*", "*");
    let rp = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}},{{"Effect":"Deny","NotPrincipal":{{"AWS":["{ROLE}","{SESSION}","arn:aws:iam::111122223333:root"]}},"Action":"s3:*","Resource":"*"}}]}}"#
    );
    let b = allow("*", "*");
    for (boundary, want, why) in [
        (None, A, "listed, no boundary"),
        (Some(b.as_str()), X, "listed, bounded"),
    ] {
        let d = Case {
            rule: "IAM-NOTPRINCIPAL: permissions boundary",
            identity: vec![&a],
            boundary,
            resource_policy: Some(&rp),
            principal: Some(SESSION),
            action: "s3:GetObject",
            resource: BUCKET_OBJ,
            ..Default::default()
        }
        .run()
        .unwrap();
        assert_eq!(d.decision, want, "{why}");
    }
}

#[test]
fn not_principal_takes_a_role_caller_as_one_of_its_sessions() {
    // A role calls through its sessions, and a session is left out of a Deny with
    // NotPrincipal only when its own session ARN is listed beside the role and the account
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html):
    // the role ARN as caller is a session whose ARN is not listed.
    let a = allow("*", "*");
    let rp = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}},{{"Effect":"Deny","NotPrincipal":{{"AWS":["{ROLE}","arn:aws:iam::111122223333:root"]}},"Action":"s3:*","Resource":"*"}}]}}"#
    );
    for who in [ROLE, SESSION] {
        Case {
            rule: "IAM-NOTPRINCIPAL: role caller",
            identity: vec![&a],
            resource_policy: Some(&rp),
            principal: Some(who),
            action: "s3:GetObject",
            resource: BUCKET_OBJ,
            ..Default::default()
        }
        .expect(X);
    }
}
