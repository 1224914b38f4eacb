use super::*;
use crate::profiles;

fn user() -> (&'static Profile, ResolvedParams) {
    let p = profiles::get("ecs-bluegreen-codedeploy-user").unwrap();
    let params = p.resolve_params(&BTreeMap::new(), None).unwrap();
    (p, params)
}

fn expanded(p: &Profile, params: &ResolvedParams) -> Vec<ExpandedRequest> {
    check::expand_requests(p, &p.requests(params).unwrap()).unwrap()
}

#[test]
fn pass_role_statements_are_split_by_passed_to_service() {
    let (p, params) = user();
    let st = build_statements(&expanded(p, &params)).unwrap();
    let pass: Vec<&GenStatement> = st
        .iter()
        .filter(|s| s.actions == ["iam:PassRole"])
        .collect();
    assert_eq!(pass.len(), 2);
    assert_eq!(pass[0].sid, "PassRoleToCodeDeploy");
    assert_eq!(
        pass[0].conditions["StringEquals"]["iam:PassedToService"],
        ["codedeploy.amazonaws.com"]
    );
    assert_eq!(pass[1].resources.len(), 2);
    // Every Sid is unique.
    let sids: BTreeSet<&str> = st.iter().map(|s| s.sid.as_str()).collect();
    assert_eq!(sids.len(), st.len());
}

#[test]
fn size_ignores_white_space() {
    assert_eq!(policy_size("{ \"a\" :\n\t\"b c\" }"), 10);
}

#[test]
fn self_check_rejects_an_action_outside_the_profile() {
    let (p, params) = user();
    let all = expanded(p, &params);
    let mut st = build_statements(&all).unwrap();
    st[0].actions.push("codedeploy:DeleteApplication".into());
    let doc = render_policy(&st);
    let err = self_check(p, &params, &all, &[doc], None).unwrap_err();
    assert!(
        err.to_string().contains("codedeploy:DeleteApplication"),
        "{err}"
    );
}

#[test]
fn self_check_rejects_a_policy_with_gaps() {
    let (p, params) = user();
    let all = expanded(p, &params);
    let mut st = build_statements(&all).unwrap();
    st.retain(|s| s.actions != ["iam:PassRole"]);
    let err = self_check(p, &params, &all, &[render_policy(&st)], None).unwrap_err();
    assert!(err.to_string().contains("iam:PassRole"), "{err}");
}

#[test]
fn self_check_rejects_an_oversized_document() {
    let (p, params) = user();
    let all = expanded(p, &params);
    let doc = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [], \"x\": \"{}\"}}",
        "a".repeat(7000)
    );
    let err = self_check(p, &params, &all, &[doc], None).unwrap_err();
    assert!(err.to_string().contains("6144"), "{err}");
}

#[test]
fn large_statement_sets_are_split_under_the_quota() {
    let statements: Vec<GenStatement> = (0..40)
        .map(|i| GenStatement {
            sid: format!("S{i}"),
            actions: vec!["codedeploy:GetApplication".into()],
            resources: (0..4)
                .map(|j| {
                    format!("arn:aws:codedeploy:us-east-1:123456789012:application:app-{i}-{j}")
                })
                .collect(),
            conditions: BTreeMap::new(),
        })
        .collect();
    let docs = split(&statements);
    assert!(docs.len() > 1);
    assert_eq!(docs.iter().map(Vec::len).sum::<usize>(), 40);
    for d in &docs {
        assert!(policy_size(&render_policy(d)) <= MAX_POLICY_CHARS);
    }
}

#[test]
fn rendered_policy_parses_and_keeps_key_order() {
    let (p, params) = user();
    let st = build_statements(&expanded(p, &params)).unwrap();
    let text = render_policy(&st);
    let policy = crate::parse::parse_policy(&Source::new("g.json", text.as_str())).unwrap();
    assert_eq!(policy.statements.len(), st.len());
    let sid = text.find("\"Sid\"").unwrap();
    let effect = text.find("\"Effect\"").unwrap();
    let action = text.find("\"Action\"").unwrap();
    assert!(sid < effect && effect < action);
}
