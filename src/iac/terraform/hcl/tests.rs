//! `.tf` modules read directly. Examples follow the Terraform AWS provider's docs pages cited
//! on each test.

use super::*;
use crate::iac::cfn::{Attached, DocKind};
use crate::model::Policy;

fn module(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Module, ParseError>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let m = dir.path().join("m");
    std::fs::create_dir(&m).unwrap();
    for (name, text) in files {
        let p = m.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let r = load(&m.join("main.tf"), &Inputs::default());
    (dir, r)
}

fn doc<'a>(m: &'a Module, path: &str) -> &'a crate::iac::cfn::Doc {
    let x = &m.template.variants[0];
    x.docs.iter().find(|d| d.path == path).unwrap_or_else(|| {
        panic!(
            "no {path}: {:?}",
            x.docs.iter().map(|d| &d.path).collect::<Vec<_>>()
        )
    })
}

fn policy<'a>(m: &'a Module, path: &str) -> &'a Policy {
    doc(m, path).policy.as_ref().unwrap()
}

/// The line (1-based) of a statement's `Effect` in its source.
fn line_of_action(p: &Policy) -> u32 {
    let s = &p.statements[0];
    p.source.line_col(s.span.start).line
}

/// `aws_iam_policy_document` with `principals`, `condition` and `&{...}`, as in the data
/// source's docs (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document),
/// on an `aws_iam_role` with an attachment
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy_attachment).
#[test]
fn policy_document_role_and_attachment() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "example" {
  statement {
    sid       = "1"
    actions   = ["s3:ListAllMyBuckets", "s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::*"]
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.s3_bucket_name}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["", "home/", "home/&{aws:username}/"]
    }
  }
}

variable "s3_bucket_name" {
  default = "amzn-s3-demo-bucket"
}

resource "aws_iam_role" "r" {
  name               = "instance-role"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_policy" "example" {
  name   = "example_policy"
  path   = "/"
  policy = data.aws_iam_policy_document.example.json
}

resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.r.name
  policy_arn = aws_iam_policy.example.arn
}
"#,
    )]);
    let m = m.unwrap();
    let x = &m.template.variants[0];
    let role = x
        .principals
        .iter()
        .find(|p| p.logical_id == "aws_iam_role.r")
        .unwrap();
    assert_eq!(role.name, "instance-role");
    assert_eq!(role.arn, "arn:aws:iam::000000000000:role/instance-role");
    let pi = x
        .docs
        .iter()
        .position(|d| d.path == "aws_iam_policy.example/policy")
        .unwrap();
    assert_eq!(role.identity, vec![Attached::Doc(pi)]);
    let trust = &x.docs[role.trust.unwrap()];
    assert_eq!(trust.kind, DocKind::Trust);
    let p = policy(&m, "aws_iam_policy.example/policy");
    assert_eq!(p.statements.len(), 2);
    assert_eq!(
        p.statements[0].sid.as_ref().map(|s| s.value.as_str()),
        Some("1")
    );
    let dbg = format!("{:?}", p.statements[1]);
    assert!(dbg.contains("arn:aws:s3:::amzn-s3-demo-bucket"), "{dbg}");
    assert!(
        dbg.contains("home/${aws:username}/"),
        "`&{{...}}` is a policy variable: {dbg}"
    );
    // positions in the .tf file: the second statement block is at line 19
    assert_eq!(p.source.line_col(p.statements[1].span.start).line, 18);
}

/// `jsonencode` of literal values, as in
/// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy
#[test]
fn jsonencode_policy_points_at_the_tf_lines() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"resource "aws_iam_role_policy" "test_policy" {
  name = "test_policy"
  role = aws_iam_role.test_role.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action = [
          "ec2:Describe*",
        ]
        Effect   = "Allow"
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role" "test_role" {
  name = "test_role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Sid = "", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}
"#,
    )]);
    let m = m.unwrap();
    let p = policy(&m, "aws_iam_role_policy.test_policy/policy");
    assert_eq!(line_of_action(p), 8);
    let role = &m.template.variants[0].principals[0];
    assert_eq!(role.identity.len(), 1, "the inline policy is the role's");
}

/// Heredoc JSON (`<<EOF` and `<<-EOF`), as in
/// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue_policy:
/// positions are those of the heredoc's lines, interpolations resolved.
#[test]
fn heredoc_policies_keep_their_lines() {
    let (_d, m) = module(&[(
        "main.tf",
        "resource \"aws_sqs_queue\" \"q\" {\n  name = \"examplequeue\"\n}\n\nresource \"aws_sqs_queue_policy\" \"test\" {\n  queue_url = aws_sqs_queue.q.id\n  policy = <<-POLICY\n    {\n      \"Version\": \"2012-10-17\",\n      \"Statement\": [\n        {\n          \"Effect\": \"Allow\",\n          \"Principal\": \"*\",\n          \"Action\": \"sqs:SendMessage\",\n          \"Resource\": \"${aws_sqs_queue.q.arn}\"\n        }\n      ]\n    }\n  POLICY\n}\n\nresource \"aws_sns_topic_policy\" \"t\" {\n  arn = \"x\"\n  policy = <<EOF\n{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sns:Publish\", \"Resource\": \"*\"}]}\nEOF\n}\n",
    )]);
    let m = m.unwrap();
    let p = policy(&m, "aws_sqs_queue_policy.test/policy");
    assert_eq!(line_of_action(p), 11);
    let col = p.source.line_col(p.statements[0].span.start).column;
    assert_eq!(col, 9, "the `{{` of the statement");
    let dbg = format!("{:?}", p.statements[0]);
    assert!(
        dbg.contains("arn:aws:sqs:xx-unknown-1:000000000000:examplequeue"),
        "{dbg}"
    );
    let p = policy(&m, "aws_sns_topic_policy.t/policy");
    assert_eq!(line_of_action(p), 26);
    assert_eq!(p.source.line_col(p.statements[0].span.start).column, 16);
    assert_eq!(
        doc(&m, "aws_sns_topic_policy.t/policy").kind,
        DocKind::Resource
    );
}

/// `file("policy.json")` inside the repository: the document is that file, positions in it.
#[test]
fn file_policies_are_read_inside_the_repository() {
    let (_d, m) = module(&[
        (
            "main.tf",
            "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = file(\"${path.module}/policies/p.json\")\n}\n",
        ),
        (
            "policies/p.json",
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n  ]\n}\n",
        ),
    ]);
    let m = m.unwrap();
    let d = doc(&m, "aws_iam_policy.p/policy");
    assert!(
        d.source
            .name
            .contains("policies/p.json#aws_iam_policy.p/policy"),
        "{}",
        d.source.name
    );
    assert_eq!(line_of_action(d.policy.as_ref().unwrap()), 4);
}

/// A `file()` that leaves the repository is a clear, located error.
#[test]
fn file_outside_the_repository_is_refused() {
    let (_d, m) = module(&[(
        "main.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  policy = file(\"../../../../../../etc/hostname\")\n}\n",
    )]);
    let e = m.err().unwrap();
    assert!(
        e.message.contains("outside the repository") || e.message.contains("cannot read"),
        "{}",
        e.message
    );
    assert_eq!(e.source.line_col(e.span.start).line, 2);
    let (_d, m) = module(&[(
        "main.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  policy = file(\"/etc/hostname\")\n}\n",
    )]);
    assert!(m.err().unwrap().message.contains("absolute path"));
}

/// Anything dynamic is a typed placeholder, named, never `*`: a variable without default, an
/// unknown function, a reference to an attribute known after apply, `count.index` of a
/// `count` not known statically.
#[test]
fn dynamic_values_are_named_placeholders() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"variable "env" {}
variable "n" {}
resource "aws_iam_policy" "p" {
  count  = var.n
  name   = "p-${count.index}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = ["arn:aws:s3:::${var.env}-data/*", aws_instance.web.arn, sha256("x")]
    }]
  })
}
resource "aws_instance" "web" {}
"#,
    )]);
    let m = m.unwrap();
    let p = policy(&m, "aws_iam_policy.p/policy");
    let dbg = format!("{:?}", p.statements[0].resource);
    for want in [
        "UNKNOWN-var.env",
        "UNKNOWN-aws_instance.web.arn",
        "UNKNOWN-sha256-",
    ] {
        assert!(dbg.contains(want), "{want}: {dbg}");
    }
    let u = &m.template.unknowns;
    assert!(u.contains_key("UNKNOWN-var.env"), "{u:?}");
    assert!(u.contains_key("UNKNOWN-count.index"), "{u:?}");
    assert!(u.keys().any(|k| k.contains("(count)")), "{u:?}");
    assert!(!dbg.contains("UNKNOWN-*"));
}

/// A policy that is wholly unknown is an error that names it, never an empty policy.
#[test]
fn an_unknown_policy_is_an_error_that_names_it() {
    let (_d, m) = module(&[(
        "main.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = templatefile(var.path, {})\n}\nvariable \"path\" {}\n",
    )]);
    let m = m.unwrap();
    let e = doc(&m, "aws_iam_policy.p/policy")
        .policy
        .as_ref()
        .unwrap_err();
    assert!(e.message.contains("UNKNOWN-templatefile"), "{}", e.message);
    assert!(e.message.contains("not known statically"), "{}", e.message);
}

fn actions(p: &Policy) -> Vec<Vec<String>> {
    p.statements
        .iter()
        .map(|s| s.action.items.iter().map(|a| a.text.clone()).collect())
        .collect()
}

fn resources(p: &Policy) -> Vec<Vec<String>> {
    p.statements
        .iter()
        .map(|s| {
            s.resource
                .as_ref()
                .map(|r| r.items.iter().map(|x| x.value.clone()).collect())
                .unwrap_or_default()
        })
        .collect()
}

/// `templatefile(path, vars)` renders the file with its variables, `%{for}`/`%{if}` directives
/// and `~` strip markers as Terraform does
/// (https://developer.hashicorp.com/terraform/language/functions/templatefile: the
/// `backends.tftpl` example's `%{ for addr in ip_addrs ~}`;
/// https://developer.hashicorp.com/terraform/language/expressions/strings#directives), and the
/// policy points at the template's own lines.
#[test]
fn templatefile_renders_directives_and_points_into_the_template() {
    let (_d, m) = module(&[
        (
            "main.tf",
            "locals {\n  buckets = [\"a\", \"b\"]\n}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = templatefile(\"${path.module}/policy.json.tftpl\", { buckets = local.buckets, admin = true, extra = false, actions = [\"s3:PutObject\"] })\n}\n",
        ),
        (
            "policy.json.tftpl",
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    %{~ for b in buckets ~}\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::${b}/*\"\n    },\n    %{~ endfor ~}\n    %{ if extra }\n    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n    %{ endif }\n    {\"Effect\": \"Allow\", \"Action\": ${jsonencode(actions)}, \"Resource\": \"*\"},\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"%{ if admin }iam:*%{ else }iam:Get*%{ endif }\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n",
        ),
    ]);
    let m = m.unwrap();
    let d = doc(&m, "aws_iam_policy.p/policy");
    assert!(
        d.source
            .name
            .contains("policy.json.tftpl#aws_iam_policy.p/policy"),
        "{}",
        d.source.name
    );
    let p = d.policy.as_ref().unwrap();
    assert_eq!(
        actions(p),
        vec![
            vec!["s3:GetObject"],
            vec!["s3:GetObject"],
            vec!["s3:PutObject"],
            vec!["iam:*"]
        ]
    );
    assert_eq!(resources(p)[0], vec!["arn:aws:s3:::a/*"]);
    assert_eq!(resources(p)[1], vec!["arn:aws:s3:::b/*"]);
    // the statements of the loop body point at its line; the last one at its own
    let line = |i: usize| p.source.line_col(p.statements[i].span.start).line;
    assert_eq!((line(0), line(1), line(2), line(3)), (5, 5, 14, 15));
    let a = &p.statements[3].action.items[0];
    assert_eq!(p.source.line_col(a.span.start).line, 17);
    // the module lists the template among the files it read (`diff --base` compares it)
    assert!(
        m.read.iter().any(|r| r.ends_with("policy.json.tftpl")),
        "{:?}",
        m.read
    );
}

/// Directives in a heredoc of the `.tf` file itself: a `%{for}` over a local list builds
/// one statement per element (the strip markers drop the newlines around them), and points at
/// the heredoc's lines.
#[test]
fn heredoc_directives_are_rendered() {
    let (_d, m) = module(&[(
        "main.tf",
        "locals {\n  queues = [\"q1\", \"q2\"]\n}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = <<-EOT\n    {\n      \"Version\": \"2012-10-17\",\n      \"Statement\": [\n        %{~ for i, q in local.queues ~}\n        {\"Sid\": \"S${i}\", \"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:us-east-1:111122223333:${q}\"}%{ if i < length(local.queues) - 1 },%{ endif }\n        %{~ endfor ~}\n      ]\n    }\n  EOT\n}\n",
    )]);
    let m = m.unwrap();
    let p = policy(&m, "aws_iam_policy.p/policy");
    assert_eq!(resources(p).len(), 2);
    assert_eq!(
        resources(p)[1],
        vec!["arn:aws:sqs:us-east-1:111122223333:q2"]
    );
    assert_eq!(p.statements[1].sid.as_ref().unwrap().value, "S1");
    assert_eq!(line_of_action(p), 11);
}

/// Red team 28: one template rendered with two variables (or a `for` over two variables) whose
/// defaults are alike reads two values, not one: the condition on each is assumed apart, so
/// the mixed combinations Terraform can deploy are read too.
#[test]
fn conditions_on_bindings_of_different_variables_are_assumed_apart() {
    let tpl = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"%{ if on }iam:PassRole%{ else }s3:GetObject%{ endif }\", \"Resource\": \"*\"}]}";
    let vars = "variable \"a\" {\n  type    = bool\n  default = true\n}\nvariable \"b\" {\n  type    = bool\n  default = true\n}\n";
    let (_d, m) = module(&[
        (
            "main.tf",
            &format!(
                "{vars}resource \"aws_iam_policy\" \"p\" {{\n  name   = \"p\"\n  policy = templatefile(\"${{path.module}}/p.tftpl\", {{ on = var.a }})\n}}\nresource \"aws_iam_policy\" \"q\" {{\n  name   = \"q\"\n  policy = templatefile(\"${{path.module}}/p.tftpl\", {{ on = var.b }})\n}}\n"
            ),
        ),
        ("p.tftpl", tpl),
    ]);
    let m = m.unwrap();
    assert_eq!(m.template.variants.len(), 4, "{:?}", m.template.undecided);
    let (_d, m) = module(&[(
        "main.tf",
        &format!(
            "{vars}resource \"aws_iam_policy\" \"p\" {{\n  name   = \"p\"\n  policy = jsonencode({{Version = \"2012-10-17\", Statement = [for on in [var.a, var.b] : {{Effect = \"Allow\", Action = on ? \"iam:PassRole\" : \"s3:GetObject\", Resource = \"*\"}}]}})\n}}\n"
        ),
    )]);
    let m = m.unwrap();
    assert_eq!(m.template.variants.len(), 4, "{:?}", m.template.undecided);
    // red team 29: through `each.value` of two resources with one key, and `each.value`
    // passed as a template's variables
    let (_d, m) = module(&[
        (
            "main.tf",
            &format!(
                "{vars}resource \"aws_iam_policy\" \"p\" {{\n  for_each = {{ x = var.a }}\n  name     = \"p\"\n  policy   = jsonencode({{Version = \"2012-10-17\", Statement = [{{Effect = \"Allow\", Action = each.value ? \"iam:PassRole\" : \"s3:GetObject\", Resource = \"*\"}}]}})\n}}\nresource \"aws_iam_policy\" \"q\" {{\n  for_each = {{ x = var.b }}\n  name     = \"q\"\n  policy   = jsonencode({{Version = \"2012-10-17\", Statement = [{{Effect = \"Allow\", Action = each.value ? \"iam:PassRole\" : \"s3:GetObject\", Resource = \"*\"}}]}})\n}}\nresource \"aws_iam_policy\" \"t\" {{\n  for_each = {{ g = {{ on = var.a }}, h = {{ on = var.b }} }}\n  name     = \"t\"\n  policy   = templatefile(\"${{path.module}}/p.tftpl\", each.value)\n}}\n"
            ),
        ),
        ("p.tftpl", tpl),
    ]);
    let m = m.unwrap();
    assert_eq!(m.template.undecided.len(), 4, "{:?}", m.template.undecided);
}

/// Arithmetic on known numbers as Terraform 1.11 computes it
/// (https://developer.hashicorp.com/terraform/language/expressions/operators#arithmetic-operators;
/// red team 28 compared the edges with `terraform console`): `7 % 0` is 7, `5 / 0` is not
/// known (an infinity), a string with spaces is no number; and a Region placeholder in an ARN
/// is no GL061 "invalid Region" (the lint rule skips `UNKNOWN-`).
#[test]
fn arithmetic_edges() {
    let (_d, m) = module(&[(
        "main.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  count  = 7 % 0 - 6\n  name   = \"p${-1 + 2 * 3}\"\n  policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = [\"arn:aws:s3:::b${10 / 4}\", \"arn:aws:s3:::c${5 / 0}\", \"arn:aws:s3:::d${\" 1\" + 1}\"]}]})\n}\n",
    )]);
    let m = m.unwrap();
    let p = policy(&m, "aws_iam_policy.p[0]/policy");
    let r = &resources(p)[0];
    assert_eq!(r[0], "arn:aws:s3:::b2.5");
    assert!(r[1].contains("UNKNOWN-"), "{r:?}");
    assert!(r[2].contains("UNKNOWN-"), "{r:?}");
    let lint = crate::lint::lint_policy(
        &crate::parse::parse_policy(&crate::source::Source::new(
            "p.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:UNKNOWN-data.aws_region.r.region:111122223333:parameter/x"}]}"#,
        ))
        .unwrap(),
        crate::lint::PolicyType::Identity,
    );
    assert!(!lint.iter().any(|f| f.rule.code == "GL061"), "{lint:?}");
}

/// Red team 28: `try` falls back past an instance index out of range and a missing object
/// attribute (Terraform's errors there, https://developer.hashicorp.com/terraform/language/functions/try);
/// `one()` (https://developer.hashicorp.com/terraform/language/functions/one); a `replace`
/// chain that squares its string is an error, not an allocation without bound; a `file()`
/// or `templatefile()` path chosen by a root variable's default is not known.
#[test]
fn try_one_string_bounds_and_default_paths() {
    // `jsondecode`: a repeated key takes the last value (Terraform decodes so); text that is
    // not JSON is what `try` falls back past
    let (_d, m) = module(&[(
        "main.tf",
        r#"locals {
  d = jsondecode("{\"a\": \"s3:GetObject\", \"a\": \"s3:PutObject\"}")
  b = try(jsondecode("{"), "s3:ListBucket")
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = [local.d.a, local.b], Resource = "*"}]})
}
"#,
    )]);
    let m = m.unwrap();
    let p = policy(&m, "aws_iam_policy.p/policy");
    assert_eq!(actions(p)[0], vec!["s3:PutObject", "s3:ListBucket"]);
    let (_d, m) = module(&[(
        "main.tf",
        "resource \"aws_cloudwatch_log_group\" \"l\" {\n  count = 0\n  name = \"x\"\n}\nlocals {\n  o   = { a = \"s3:GetObject\" }\n  arn = try(aws_cloudwatch_log_group.l[0].arn, \"arn:aws:logs:us-east-1:111122223333:log-group:x\")\n  act = try(local.o.b, \"s3:PutObject\")\n  one = one([\"s3:ListBucket\"])\n}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = [local.act, local.one], Resource = \"${local.arn}:*\"}]})\n}\n",
    )]);
    let m = m.unwrap();
    let p = policy(&m, "aws_iam_policy.p/policy");
    assert_eq!(actions(p)[0], vec!["s3:PutObject", "s3:ListBucket"]);
    assert_eq!(
        resources(p)[0],
        vec!["arn:aws:logs:us-east-1:111122223333:log-group:x:*"]
    );
    let (_d, m) = module(&[(
        "main.tf",
        "locals {\n  s0 = \"aaaaaaaaaa\"\n  s1 = replace(local.s0, \"a\", local.s0)\n  s2 = replace(local.s1, \"a\", local.s1)\n  s3 = replace(local.s2, \"a\", local.s2)\n  s4 = replace(local.s3, \"a\", local.s3)\n}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"arn:aws:s3:::${local.s4}\"}]})\n}\n",
    )]);
    let e = m.err().map(|e| e.message).unwrap_or_default();
    assert!(e.contains("longer than"), "{e}");
    let (_d, m) = module(&[
        (
            "main.tf",
            "variable \"env\" {\n  default = \"prod\"\n}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = templatefile(\"${path.module}/${var.env}.tftpl\", {})\n}\nresource \"aws_iam_policy\" \"q\" {\n  name   = \"q\"\n  policy = file(\"${path.module}/${var.env}.json\")\n}\n",
        ),
        (
            "prod.tftpl",
            "{\"Version\": \"2012-10-17\", \"Statement\": []}",
        ),
        (
            "prod.json",
            "{\"Version\": \"2012-10-17\", \"Statement\": []}",
        ),
    ]);
    let m = m.unwrap();
    for d in ["aws_iam_policy.p/policy", "aws_iam_policy.q/policy"] {
        let e = doc(&m, d).policy.as_ref().unwrap_err();
        assert!(
            e.message.contains("root variable's default"),
            "{}",
            e.message
        );
    }
}

/// A `for k, v` over a set binds `k` to the element, not to an index
/// (https://developer.hashicorp.com/terraform/language/expressions/for; red team 28): in a
/// `.tf` `for` expression and in a template's `%{for}`.
#[test]
fn for_over_a_set_binds_the_key_to_the_element() {
    let (_d, m) = module(&[
        (
            "main.tf",
            "locals {\n  buckets = toset([\"prod-data\", \"logs\"])\n}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = [for k, v in local.buckets : \"arn:aws:s3:::${k}/*\"]}]})\n}\nresource \"aws_iam_policy\" \"q\" {\n  name   = \"q\"\n  policy = templatefile(\"${path.module}/q.tftpl\", { buckets = local.buckets })\n}\n",
        ),
        (
            "q.tftpl",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":[%{ for k, v in buckets }\"arn:aws:s3:::${k}/*\",%{ endfor }\"arn:aws:s3:::x\"]}]}",
        ),
    ]);
    let m = m.unwrap();
    let want = vec!["arn:aws:s3:::logs/*", "arn:aws:s3:::prod-data/*"];
    assert_eq!(resources(policy(&m, "aws_iam_policy.p/policy"))[0], want);
    let q = resources(policy(&m, "aws_iam_policy.q/policy"))[0].clone();
    assert_eq!(q[..2], want[..]);
    // red team 29: an attribute or element of a local object, a conditional, `try`
    for coll in [
        "local.cfg.buckets",
        "local.cfg[\"buckets\"]",
        "(true ? toset([\"prod-data\", \"logs\"]) : toset([]))",
        "local.sets[local.env]",
        "try(toset([\"prod-data\", \"logs\"]), [])",
    ] {
        let (_d, m) = module(&[(
            "main.tf",
            &format!(
                "locals {{\n  cfg = {{ buckets = toset([\"prod-data\", \"logs\"]) }}\n  env = \"prod\"\n  sets = {{ prod = toset([\"prod-data\", \"logs\"]), dev = toset([\"x\"]) }}\n}}\nresource \"aws_iam_policy\" \"p\" {{\n  name   = \"p\"\n  policy = jsonencode({{Version = \"2012-10-17\", Statement = [{{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = [for k, v in {coll} : \"arn:aws:s3:::${{k}}/*\"]}}]}})\n}}\n"
            ),
        )]);
        let m = m.unwrap();
        assert_eq!(
            resources(policy(&m, "aws_iam_policy.p/policy"))[0],
            want,
            "{coll}"
        );
    }
    // red team 30: a set member of an object-typed variable (the value from a parameter)
    let inputs = Inputs {
        params: [(
            "cfg".to_string(),
            "{ buckets = [\"prod-data\", \"logs\"] }".to_string(),
        )]
        .into(),
        ..Default::default()
    };
    let (_d, m) = module_with(
        &[(
            "main.tf",
            "variable \"cfg\" {\n  type = object({ buckets = optional(set(string)) })\n}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = [for k, v in var.cfg.buckets : \"arn:aws:s3:::${k}/*\"]}]})\n}\n",
        )],
        &inputs,
    );
    let m = m.unwrap();
    assert_eq!(resources(policy(&m, "aws_iam_policy.p/policy"))[0], want);
}

/// Set-ness beyond the syntax at hand (red team notes, checked with Terraform 1.11's
/// `terraform console`): `try` whose first argument fails takes the second's type
/// (`try(local.m["missing"], local.sets)` binds `k` to the element; `try(toset(local.m["missing"]),
/// local.names)` to the index); a child module's output holding `toset(...)`; a child variable
/// of type `any` (or no type) given a set by its caller. Each was read as a list before: `k`
/// the index, so `arn:aws:s3:::0/*` and `verify --not-granted ... --on arn:aws:s3:::alpha/x`
/// held (false "safe").
#[test]
fn set_ness_follows_try_module_outputs_and_open_variables() {
    let want = vec!["arn:aws:s3:::alpha/*", "arn:aws:s3:::beta/*"];
    let stmt = |coll: &str| {
        format!(
            "resource \"aws_iam_policy\" \"p\" {{\n  name   = \"p\"\n  policy = jsonencode({{Version = \"2012-10-17\", Statement = [{{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = [for k, v in {coll} : \"arn:aws:s3:::${{k}}/*\"]}}]}})\n}}\n"
        )
    };
    let locals = "locals {\n  m     = { a = [\"x\"] }\n  names = [\"alpha\", \"beta\"]\n  sets  = toset([\"alpha\", \"beta\"])\n}\n";
    let (_d, m) = module(&[(
        "main.tf",
        &format!("{locals}{}", stmt("try(local.m[\"missing\"], local.sets)")),
    )]);
    assert_eq!(
        resources(policy(&m.unwrap(), "aws_iam_policy.p/policy"))[0],
        want
    );
    let (_d, m) = module(&[(
        "main.tf",
        &format!(
            "{locals}{}",
            stmt("try(toset(local.m[\"missing\"]), local.names)")
        ),
    )]);
    assert_eq!(
        resources(policy(&m.unwrap(), "aws_iam_policy.p/policy"))[0],
        vec!["arn:aws:s3:::0/*", "arn:aws:s3:::1/*"]
    );
    let (_d, m) = module(&[
        (
            "main.tf",
            &format!(
                "module \"m\" {{\n  source = \"./mod\"\n}}\n{}",
                stmt("module.m.buckets")
            ),
        ),
        (
            "mod/main.tf",
            "output \"buckets\" {\n  value = toset([\"alpha\", \"beta\"])\n}\n",
        ),
    ]);
    assert_eq!(
        resources(policy(&m.unwrap(), "aws_iam_policy.p/policy"))[0],
        want
    );
    for ty in ["  type = any\n", "", "  type = map(any)\n"] {
        let (arg, coll) = if ty.contains("map") {
            ("{ b = toset([\"alpha\", \"beta\"]) }", "var.buckets.b")
        } else {
            ("toset([\"alpha\", \"beta\"])", "var.buckets")
        };
        let (_d, m) = module(&[
            (
                "main.tf",
                &format!("module \"m\" {{\n  source  = \"./mod\"\n  buckets = {arg}\n}}\n"),
            ),
            (
                "mod/main.tf",
                &format!("variable \"buckets\" {{\n{ty}}}\n{}", stmt(coll)),
            ),
        ]);
        assert_eq!(
            resources(policy(&m.unwrap(), "module.m.aws_iam_policy.p/policy"))[0],
            want,
            "{ty}"
        );
    }
    // a declared list type converts the caller's set to a list: the index again
    let (_d, m) = module(&[
        (
            "main.tf",
            "module \"m\" {\n  source  = \"./mod\"\n  buckets = toset([\"alpha\", \"beta\"])\n}\n",
        ),
        (
            "mod/main.tf",
            &format!(
                "variable \"buckets\" {{\n  type = list(string)\n}}\n{}",
                stmt("var.buckets")
            ),
        ),
    ]);
    assert_eq!(
        resources(policy(&m.unwrap(), "module.m.aws_iam_policy.p/policy"))[0],
        vec!["arn:aws:s3:::0/*", "arn:aws:s3:::1/*"]
    );
}

/// A set reached through a function or index that picks an element (`one`, `lookup`,
/// `element`, `local.l[0]`, `values(local.m)[0]`, a child variable typed `list(set(string))`
/// indexed; red team 35, checked with `terraform console`): `k` is the element. A list of
/// lists indexed is a list: `k` the index.
#[test]
fn set_ness_follows_the_element_picked() {
    let want = vec!["arn:aws:s3:::alpha/*", "arn:aws:s3:::beta/*"];
    let stmt = |coll: &str| {
        format!(
            "resource \"aws_iam_policy\" \"p\" {{\n  name   = \"p\"\n  policy = jsonencode({{Version = \"2012-10-17\", Statement = [{{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = [for k, v in {coll} : \"arn:aws:s3:::${{k}}/*\"]}}]}})\n}}\n"
        )
    };
    let locals = "locals {\n  s = toset([\"alpha\", \"beta\"])\n  m = { a = toset([\"alpha\", \"beta\"]) }\n  l = [toset([\"alpha\", \"beta\"])]\n  ll = [[\"alpha\", \"beta\"]]\n}\n";
    for coll in [
        "one([local.s])",
        "lookup(local.m, \"a\", [])",
        "element(local.l, 0)",
        "local.l[0]",
        "values(local.m)[0]",
        "try(one([local.s]), [])",
    ] {
        let (_d, m) = module(&[("main.tf", &format!("{locals}{}", stmt(coll)))]);
        assert_eq!(
            resources(policy(&m.unwrap(), "aws_iam_policy.p/policy"))[0],
            want,
            "{coll}"
        );
    }
    let (_d, m) = module(&[("main.tf", &format!("{locals}{}", stmt("local.ll[0]")))]);
    assert_eq!(
        resources(policy(&m.unwrap(), "aws_iam_policy.p/policy"))[0],
        vec!["arn:aws:s3:::0/*", "arn:aws:s3:::1/*"]
    );
    let (_d, m) = module(&[
        (
            "main.tf",
            "module \"m\" {\n  source  = \"./mod\"\n  buckets = [[\"alpha\", \"beta\"]]\n}\n",
        ),
        (
            "mod/main.tf",
            &format!(
                "variable \"buckets\" {{\n  type = list(set(string))\n}}\n{}",
                stmt("var.buckets[0]")
            ),
        ),
    ]);
    assert_eq!(
        resources(policy(&m.unwrap(), "module.m.aws_iam_policy.p/policy"))[0],
        want
    );
}

/// A splat over a data source's or resource's instances (`data.x.y[*].json`,
/// https://developer.hashicorp.com/terraform/language/expressions/splat): the attribute of each
/// instance, none for `count = 0`; terraform-aws-modules' iam-role-for-service-accounts merges
/// its policies so (`flatten(concat(data.aws_iam_policy_document.x[*].json, ...))`).
#[test]
fn splats_over_instances() {
    let (_d, m) = module(&[(
        "main.tf",
        "data \"aws_iam_policy_document\" \"a\" {\n  count = 1\n  statement {\n    actions   = [\"s3:GetObject\"]\n    resources = [\"*\"]\n  }\n}\ndata \"aws_iam_policy_document\" \"b\" {\n  count = 0\n  statement {\n    actions   = [\"s3:PutObject\"]\n    resources = [\"*\"]\n  }\n}\nresource \"aws_iam_role\" \"r\" {\n  count = 2\n  name  = \"r${count.index}\"\n  assume_role_policy = \"{}\"\n}\nlocals {\n  docs   = flatten(concat(data.aws_iam_policy_document.a[*].json, data.aws_iam_policy_document.b.*.json, []))\n  create = length(local.docs) > 0\n}\ndata \"aws_iam_policy_document\" \"this\" {\n  count                   = local.create ? 1 : 0\n  source_policy_documents = local.docs\n  statement {\n    actions   = [\"iam:PassRole\"]\n    resources = aws_iam_role.r[*].arn\n  }\n}\nresource \"aws_iam_policy\" \"p\" {\n  count  = local.create ? 1 : 0\n  name   = \"p\"\n  policy = data.aws_iam_policy_document.this[0].json\n}\n",
    )]);
    let m = m.unwrap();
    assert_eq!(m.template.variants.len(), 1, "{:?}", m.template.undecided);
    let p = policy(&m, "aws_iam_policy.p[0]/policy");
    let acts = actions(p);
    assert!(acts.contains(&vec!["s3:GetObject".to_string()]), "{acts:?}");
    assert!(
        !acts.iter().flatten().any(|a| a == "s3:PutObject"),
        "{acts:?}"
    );
    let rs = resources(p);
    let pass = rs
        .iter()
        .find(|r| r.len() == 2)
        .unwrap_or_else(|| panic!("{rs:?}"));
    assert!(
        pass[0].ends_with(":role/r0") && pass[1].ends_with(":role/r1"),
        "{pass:?}"
    );
}

/// A template sees only the variables passed to it: a reference to anything else is an
/// error, as in Terraform; so is a template that does not parse, or that is missing, or a
/// `templatefile` called from inside a template.
#[test]
fn templatefile_errors() {
    let call = |tpl: &str| {
        let (_d, m) = module(&[
            (
                "main.tf",
                "variable \"x\" {\n  default = \"s3:GetObject\"\n}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = templatefile(\"${path.module}/p.tftpl\", { a = \"s3:GetObject\" })\n}\n",
            ),
            ("p.tftpl", tpl),
        ]);
        match m {
            Err(e) => e.message,
            Ok(m) => match &doc(&m, "aws_iam_policy.p/policy").policy {
                Err(e) => format!("doc: {}", e.message),
                Ok(_) => "ok".into(),
            },
        }
    };
    let ok = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"${a}\", \"Resource\": \"*\"}]}";
    assert_eq!(call(ok), "ok");
    let e = call(&ok.replace("${a}", "${var.x}"));
    assert!(e.contains("not one of the variables"), "{e}");
    let e = call(&ok.replace("${a}", "${b}"));
    assert!(
        e.contains("`b`") && e.contains("not one of the variables"),
        "{e}"
    );
    let e = call(&ok.replace("${a}", "%{ if a }x"));
    assert!(e.contains("not a valid Terraform template"), "{e}");
    let e = call(&ok.replace("${a}", "${templatefile(\"p.tftpl\", {})}"));
    assert!(e.contains("inside a template"), "{e}");
    let (_d, m) = module(&[(
        "main.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = templatefile(\"${path.module}/missing.tftpl\", {})\n}\n",
    )]);
    let e = m.err().map(|e| e.message).unwrap_or_default();
    assert!(e.contains("missing.tftpl"), "{e}");
}

/// A template condition on a variable without value is assumed both ways, as a conditional
/// is: one variant per value; a `%{for}` over a collection not known leaves the policy
/// unknown (an error naming it), never an empty list.
#[test]
fn templatefile_undecided_parts() {
    let (_d, m) = module(&[
        (
            "main.tf",
            "variable \"admin\" {}\nvariable \"arns\" {}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = templatefile(\"${path.module}/p.tftpl\", { admin = var.admin })\n}\nresource \"aws_iam_policy\" \"q\" {\n  name   = \"q\"\n  policy = templatefile(\"${path.module}/q.tftpl\", { arns = var.arns })\n}\n",
        ),
        (
            "p.tftpl",
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"%{ if admin }*%{ else }s3:GetObject%{ endif }\", \"Resource\": \"*\"}]}",
        ),
        (
            "q.tftpl",
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": [%{ for a in arns }\"${a}\",%{ endfor }\"x\"]}]}",
        ),
    ]);
    let m = m.unwrap();
    let mut seen: Vec<String> = m
        .template
        .variants
        .iter()
        .map(|v| {
            let d = v
                .docs
                .iter()
                .find(|d| d.path == "aws_iam_policy.p/policy")
                .unwrap();
            actions(d.policy.as_ref().unwrap())[0][0].clone()
        })
        .collect();
    seen.sort();
    assert_eq!(seen, vec!["*", "s3:GetObject"]);
    let e = doc(&m, "aws_iam_policy.q/policy")
        .policy
        .as_ref()
        .unwrap_err();
    assert!(e.message.contains("not known"), "{}", e.message);
}

/// Locals, and variables across the module's files.
#[test]
fn locals_and_variables_across_files() {
    let (_d, m) = module(&[
        (
            "main.tf",
            "resource \"aws_iam_user_policy\" \"u\" {\n  user = aws_iam_user.u.name\n  policy = local.policy\n}\nresource \"aws_iam_user\" \"u\" {\n  name = var.user\n}\n",
        ),
        (
            "locals.tf",
            "locals {\n  actions = [\"sqs:SendMessage\"]\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = local.actions, Resource = \"*\" }]\n  })\n}\nvariable \"user\" {\n  default = \"app\"\n}\n",
        ),
    ]);
    let m = m.unwrap();
    let x = &m.template.variants[0];
    let u = &x.principals[0];
    assert_eq!(u.name, "app");
    assert_eq!(u.identity.len(), 1);
    let d = doc(&m, "aws_iam_user_policy.u/policy");
    // defined in another file: positions point at the reference in main.tf
    assert!(d.source.name.contains("main.tf#"), "{}", d.source.name);
    assert_eq!(line_of_action(d.policy.as_ref().unwrap()), 3);
    assert_eq!(
        m.defined_in["aws_iam_user.u"].rsplit('/').next(),
        Some("main.tf")
    );
}

/// Circular locals and fan-out are errors in bounded time; deep nesting is refused by the
/// parser (at most 64 levels).
#[test]
fn hostile_modules_are_errors() {
    let (_d, m) = module(&[(
        "main.tf",
        "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_iam_policy\" \"p\" {\n  policy = local.a\n}\n",
    )]);
    assert!(m.err().unwrap().message.contains("deeper than"));
    let mut fan = String::from("locals {\n  l0 = \"x\"\n");
    for i in 1..12 {
        let refs = vec![format!("local.l{}", i - 1); 10].join(", ");
        fan.push_str(&format!("  l{i} = [{refs}]\n"));
    }
    fan.push_str("}\nresource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode(local.l11)\n}\n");
    let t = std::time::Instant::now();
    let (_d, m) = module(&[("main.tf", &fan)]);
    assert!(m.err().unwrap().message.contains("evaluation steps"));
    assert!(t.elapsed().as_secs() < 20);
    let deep = format!(
        "resource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({}1{})\n}}\n",
        "[".repeat(200),
        "]".repeat(200)
    );
    let (_d, m) = module(&[("main.tf", &deep)]);
    let e = m.err().unwrap();
    assert!(e.message.starts_with("invalid HCL"), "{}", e.message);
}

/// JSON in a quoted string with escapes (`\"`, `$${...}` for an IAM policy variable,
/// https://developer.hashicorp.com/terraform/language/expressions/strings): positions inside
/// the string, the variable kept literally.
#[test]
fn escaped_json_strings_keep_their_columns() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"resource "aws_iam_group_policy" "g" {
  group  = "devs"
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/$${aws:username}/*\"}]}"
}
"#,
    )]);
    let m = m.unwrap();
    let p = policy(&m, "aws_iam_group_policy.g/policy");
    let s = &p.statements[0];
    let at = p.source.line_col(s.span.start);
    assert_eq!((at.line, at.column), (3, 59), "the `{{` of the statement");
    let dbg = format!("{:?}", s.resource);
    assert!(dbg.contains("arn:aws:s3:::b/${aws:username}/*"), "{dbg}");
}

/// `count` and `for_each` known statically: one resource per instance, addressed as Terraform
/// addresses them, `count.index`/`each.key`/`each.value` bound in each; references name their
/// instance (https://developer.hashicorp.com/terraform/language/meta-arguments/count,
/// https://developer.hashicorp.com/terraform/language/meta-arguments/for_each,
/// https://developer.hashicorp.com/terraform/cli/state/resource-addressing).
#[test]
fn count_and_for_each_expand_resources_and_data_sources() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"variable "more" {}
variable "buckets" {
  default = ["logs", "assets"]
}
locals {
  users = { alice = "s3:GetObject", bob = "s3:PutObject" }
}
resource "aws_iam_user" "u" {
  for_each = local.users
  name     = each.key
}
data "aws_iam_policy_document" "d" {
  for_each = local.users
  statement {
    actions   = [each.value]
    resources = ["arn:aws:s3:::${each.key}/*"]
  }
}
resource "aws_iam_user_policy" "p" {
  for_each = toset(["alice", "bob"])
  user     = aws_iam_user.u[each.key].name
  policy   = data.aws_iam_policy_document.d[each.value].json
}
resource "aws_iam_policy" "b" {
  count  = length(var.more)
  name   = "b"
  policy = "{}"
}
resource "aws_iam_policy" "bucket" {
  count  = length(var.buckets)
  name   = "bucket-${count.index}"
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "s3:ListBucket", Resource = "arn:aws:s3:::${var.buckets[count.index]}"}]})
}
resource "aws_iam_user_policy_attachment" "a" {
  user       = aws_iam_user.u["alice"].name
  policy_arn = aws_iam_policy.bucket[1].arn
}
resource "aws_iam_policy" "none" {
  count  = 0
  name   = "none"
  policy = "{}"
}
"#,
    )]);
    let m = m.unwrap();
    let x = &m.template.variants[0];
    let ids: Vec<&str> = x.principals.iter().map(|p| p.logical_id.as_str()).collect();
    assert_eq!(
        ids,
        ["aws_iam_user.u[\"alice\"]", "aws_iam_user.u[\"bob\"]"]
    );
    assert_eq!(x.principals[1].name, "bob");
    // each user has the data source instance of its key, the policy of the same key
    let bob = policy(&m, "aws_iam_user_policy.p[\"bob\"]/policy");
    let dbg = format!("{:?}", bob.statements[0]);
    assert!(
        dbg.contains("s3:PutObject") && dbg.contains("arn:aws:s3:::bob/*"),
        "{dbg}"
    );
    assert!(!dbg.contains("UNKNOWN"), "{dbg}");
    let alice = &x.principals[0];
    let names: Vec<String> = alice
        .identity
        .iter()
        .map(|a| match a {
            Attached::Doc(i) => x.docs[*i].path.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        [
            "aws_iam_user_policy.p[\"alice\"]/policy",
            "aws_iam_policy.bucket[1]/policy"
        ]
    );
    // `count.index` indexes a variable's default
    let b1 = format!(
        "{:?}",
        policy(&m, "aws_iam_policy.bucket[1]/policy").statements[0]
    );
    assert!(b1.contains("arn:aws:s3:::assets"), "{b1}");
    // a `count` not known statically: one resource, and a note; `count = 0`: none, and a note
    assert!(x.docs.iter().any(|d| d.path == "aws_iam_policy.b/policy"));
    assert!(
        !x.docs
            .iter()
            .any(|d| d.path.starts_with("aws_iam_policy.none"))
    );
    let u = &m.template.unknowns;
    assert!(
        u["aws_iam_policy.b (count)"].contains("not known statically"),
        "{u:?}"
    );
    assert!(
        u["aws_iam_policy.none (count)"].contains("`count = 0`"),
        "{u:?}"
    );
    assert_eq!(
        m.defined_in["aws_iam_user.u[\"bob\"]"].rsplit('/').next(),
        Some("main.tf")
    );
}

/// What Terraform rejects is an error here too: a reference to an expanded resource without
/// its instance key, a key it does not have, `count` with `for_each`; and the number of
/// instances is bounded.
#[test]
fn instance_errors_and_bounds() {
    let base = "resource \"aws_iam_role\" \"r\" {\n  count = 2\n  name = \"r${count.index}\"\n}\n";
    for (extra, want) in [
        (
            "resource \"aws_iam_role_policy\" \"p\" {\n  role = aws_iam_role.r.name\n  policy = \"{}\"\n}\n",
            "`aws_iam_role.r` has `count` or `for_each`: a reference names one of its instances (its instances: [0], [1])",
        ),
        (
            "resource \"aws_iam_role_policy\" \"p\" {\n  role = aws_iam_role.r[2].name\n  policy = \"{}\"\n}\n",
            "`aws_iam_role.r` has no instance `[2]`",
        ),
        (
            "resource \"aws_iam_user\" \"u\" {\n  count = 1\n  for_each = {a = 1}\n}\n",
            "`aws_iam_user.u` has both `count` and `for_each`",
        ),
        (
            "resource \"aws_iam_user\" \"u\" {\n  count = 100000000\n}\n",
            "`aws_iam_user.u` has 100000000 instances; greenlight reads at most 256 per block",
        ),
        (
            "resource \"aws_iam_user\" \"u\" {\n  for_each = aws_iam_user.u\n}\n",
            "references nest deeper than 64 levels",
        ),
        (
            "resource \"aws_iam_user\" \"u\" {\n  count = 1.5\n}\n",
            "the `count` of `aws_iam_user.u` is `1.5`, not a whole number",
        ),
    ] {
        let (_d, m) = module(&[("main.tf", &format!("{base}{extra}"))]);
        let e = m.err().unwrap_or_else(|| panic!("no error: {extra}"));
        assert!(e.message.contains(want), "{want}: {}", e.message);
    }
    // an instance key not known statically: a named placeholder
    let (_d, m) = module(&[(
        "main.tf",
        &format!(
            "{base}variable \"i\" {{}}\nresource \"aws_iam_role_policy\" \"p\" {{\n  role = aws_iam_role.r[var.i].name\n  policy = \"{{}}\"\n}}\n"
        ),
    )]);
    let m = m.unwrap();
    assert!(
        m.template
            .unknowns
            .contains_key("UNKNOWN-aws_iam_role.r[var.i].name"),
        "{:?}",
        m.template.unknowns
    );
}

/// Document paths hold instance keys, which may hold `/`.
#[test]
fn address_of_a_document_path_keeps_instance_keys() {
    assert_eq!(
        address_of("aws_iam_role_policy.p[\"a/b\"]/policy"),
        "aws_iam_role_policy.p[\"a/b\"]"
    );
    assert_eq!(
        address_of("aws_iam_role.r/inline_policy/x"),
        "aws_iam_role.r"
    );
    assert_eq!(
        address_of("module.m[\"k\\\"/\"].aws_iam_role.r/x"),
        "module.m[\"k\\\"/\"].aws_iam_role.r"
    );
}

/// Chaining `for_each` between resources
/// (https://developer.hashicorp.com/terraform/language/meta-arguments/for_each#chaining-for_each-between-resources):
/// `for_each = data.aws_iam_policy_document.d` and `for_each = aws_iam_policy.p` give the
/// instances of the same keys, `each.value.json` / `each.value.arn` the instance's attribute.
#[test]
fn chained_for_each_follows_the_instances_of_the_other_block() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"resource "aws_iam_role" "app" {
  name = "app"
}
data "aws_iam_policy_document" "d" {
  for_each = { a = "s3:GetObject", b = "s3:PutObject" }
  statement {
    actions   = [each.value]
    resources = ["arn:aws:s3:::docs-${each.key}/*"]
  }
}
resource "aws_iam_policy" "p" {
  for_each = data.aws_iam_policy_document.d
  name     = "docs-${each.key}"
  policy   = each.value.json
}
resource "aws_iam_role_policy_attachment" "a" {
  for_each   = aws_iam_policy.p
  role       = aws_iam_role.app.name
  policy_arn = each.value.arn
}
"#,
    )]);
    let m = m.unwrap();
    let x = &m.template.variants[0];
    let b = format!(
        "{:?}",
        policy(&m, "aws_iam_policy.p[\"b\"]/policy").statements[0]
    );
    assert!(b.contains("s3:PutObject") && b.contains("docs-b/*"), "{b}");
    let attached: Vec<String> = x.principals[0]
        .identity
        .iter()
        .map(|a| match a {
            Attached::Doc(i) => x.docs[*i].path.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        attached,
        [
            "aws_iam_policy.p[\"a\"]/policy",
            "aws_iam_policy.p[\"b\"]/policy"
        ]
    );
    assert!(
        !m.template.unknowns.keys().any(|k| k.contains("each")),
        "{:?}",
        m.template.unknowns
    );
}

/// `dynamic` blocks (https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks)
/// are expanded when their `for_each` is known: one block per element, the iterator (the
/// label, or `iterator`) bound to its `key` and `value`. A map's key is known; a list or set
/// element's key (the index of a list, the value of a set) is a placeholder, since `toset()`
/// reads as a list here. Conditionals are not evaluated (a variable's declared type converts
/// its value, and data sources stand for values known at apply: red-team pass 14), so a
/// `for_each` behind one is an error, never a guess.
#[test]
fn dynamic_blocks_with_known_for_each() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"
variable "buckets" {
  default = { logs = "arn:aws:s3:::logs/*", data = "arn:aws:s3:::data/*" }
}
data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = var.buckets
    content {
      sid       = statement.key
      actions   = ["s3:GetObject"]
      resources = [statement.value]
    }
  }
  dynamic "statement" {
    for_each = distinct(["a", "a"])
    iterator = s
    content {
      actions   = ["sqs:SendMessage"]
      resources = ["arn:aws:sqs:us-east-1:111122223333:${s.value}", "arn:aws:sqs:us-east-1:111122223333:${s.key}"]
    }
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}
"#,
    )]);
    let m = m.unwrap();
    let p = policy(&m, "aws_iam_policy.p/policy");
    let sids: Vec<String> = p
        .statements
        .iter()
        .map(|s| s.sid.as_ref().map(|x| x.value.clone()).unwrap_or_default())
        .collect();
    assert_eq!(sids, ["logs", "data", ""], "{sids:?}");
    let resources: Vec<String> = p
        .statements
        .iter()
        .flat_map(|s| {
            s.resource
                .iter()
                .flat_map(|r| r.items.iter().map(|i| i.value.clone()))
        })
        .collect();
    assert_eq!(
        resources[..3],
        [
            "arn:aws:s3:::logs/*",
            "arn:aws:s3:::data/*",
            "arn:aws:sqs:us-east-1:111122223333:a"
        ]
    );
    assert!(resources[3].contains("UNKNOWN-"), "{resources:?}");
    // a `for_each` behind a conditional on a known boolean takes the branch Terraform takes
    // (https://developer.hashicorp.com/terraform/language/expressions/conditionals); the
    // strings "true"/"false" (a `-var` value) convert to booleans. Only a value given (a
    // variables file, `--template-param`, a literal) decides: a default does not (a `-var` or
    // a caller may set another value), nor a condition on a value not known statically: such
    // a condition is read both ways. A comparison of known values of one type decides, as a
    // null does (the defaults that replace a null are applied where the variable is read).
    let text = |admin: &str, cond: &str| {
        format!(
            r#"
variable "admin" {{ {admin} }}
variable "enabled" {{}}
data "aws_iam_policy_document" "p" {{
  statement {{
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }}
  dynamic "statement" {{
    for_each = {cond} ? [1] : []
    content {{
      actions   = ["*"]
      resources = ["*"]
    }}
  }}
}}
resource "aws_iam_policy" "p" {{
  policy = data.aws_iam_policy_document.p.json
}}
"#
        )
    };
    let actions = |admin: &str, tfvars: &str, cond: &str| -> Result<Vec<String>, String> {
        let (_d, m) = module(&[
            ("main.tf", &text(admin, cond)),
            ("terraform.tfvars", tfvars),
        ]);
        let m = m.map_err(|e| e.message)?;
        let p = policy(&m, "aws_iam_policy.p/policy");
        Ok(p.statements
            .iter()
            .flat_map(|s| s.action.items.iter().map(|a| a.text.clone()))
            .collect())
    };
    let vars = "admin = false\nenabled = true\n";
    assert_eq!(actions("", vars, "var.admin").unwrap(), ["s3:GetObject"]);
    assert_eq!(
        actions("", "admin = true\nenabled = true\n", "var.admin").unwrap(),
        ["s3:GetObject", "*"]
    );
    assert_eq!(
        actions("", "admin = \"true\"\nenabled = true\n", "var.admin").unwrap(),
        ["s3:GetObject", "*"]
    );
    assert_eq!(
        actions("", vars, "var.admin || var.enabled").unwrap(),
        ["s3:GetObject", "*"]
    );
    assert_eq!(
        actions("", vars, "!var.admin && !var.enabled").unwrap(),
        ["s3:GetObject"]
    );
    assert_eq!(actions("", vars, "true").unwrap(), ["s3:GetObject", "*"]);
    assert_eq!(
        actions("", vars, "var.enabled != null").unwrap(),
        ["s3:GetObject", "*"]
    );
    assert_eq!(
        actions("", vars, "var.admin == true").unwrap(),
        ["s3:GetObject"]
    );
    assert_eq!(
        actions("", "admin = null\nenabled = true\n", "var.admin == null").unwrap(),
        ["s3:GetObject", "*"]
    );
    for (admin, tfvars, cond) in [
        ("", "enabled = true\n", "var.admin"),
        ("default = false", "enabled = true\n", "var.admin"),
        ("default = true", "enabled = true\n", "!var.admin"),
        ("", "admin = 1\nenabled = true\n", "var.admin"),
        ("", "admin = \"yes\"\nenabled = true\n", "var.admin"),
        ("default = true", "enabled = true\n", "var.admin == null"),
        // two types: a declared type would convert one of them, so nothing is decided
        (
            "",
            "admin = \"false\"\nenabled = true\n",
            "var.admin == false",
        ),
    ] {
        // read both ways: a combination with the `*` statement and one without
        let (_d, m) = module(&[
            ("main.tf", &text(admin, cond)),
            ("terraform.tfvars", tfvars),
        ]);
        let m = m.unwrap_or_else(|e| panic!("{admin} {cond}: {}", e.message));
        let per: Vec<usize> = m
            .template
            .variants
            .iter()
            .map(|x| x.docs[0].policy.as_ref().unwrap().statements.len())
            .collect();
        assert!(
            per.contains(&1) && per.contains(&2),
            "{admin} {cond}: {per:?}"
        );
    }
    // a `for_each` from a variable without a value is an error
    let (_d, e) = module(&[(
        "main.tf",
        r#"
variable "buckets" {}
data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = var.buckets
    content {
      actions   = ["s3:GetObject"]
      resources = [statement.value]
    }
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}
"#,
    )]);
    let e = e.err().expect("an unknown for_each is an error");
    assert!(
        e.message.contains("`dynamic` block not read"),
        "{}",
        e.message
    );
}

fn module_with(
    files: &[(&str, &str)],
    inputs: &Inputs,
) -> (tempfile::TempDir, Result<Module, ParseError>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let m = dir.path().join("m");
    std::fs::create_dir(&m).unwrap();
    for (name, text) in files {
        std::fs::write(m.join(name), text).unwrap();
    }
    let r = load(&m.join("main.tf"), inputs);
    (dir, r)
}

/// `nullable = false`: a `null` given for the variable is its default
/// (https://developer.hashicorp.com/terraform/language/values/variables#disallowing-null-input-values),
/// from a variables file and from a module call (red-team pass 18).
#[test]
fn a_null_for_a_non_nullable_variable_is_its_default() {
    let main = r#"
variable "extra" {
  type     = list(string)
  default  = ["iam:*"]
  nullable = false
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = var.extra, Resource = "*"}]})
}
"#;
    let (_d, m) = module(&[("main.tf", main), ("terraform.tfvars", "extra = null\n")]);
    let m = m.unwrap();
    let p = policy(&m, "aws_iam_policy.p/policy");
    assert_eq!(p.statements[0].action.items[0].text, "iam:*");
    // a nullable variable keeps the null (and `Action` then is no list: an error)
    let (_d, m) = module(&[
        ("main.tf", &main.replace("  nullable = false\n", "")),
        ("terraform.tfvars", "extra = null\n"),
    ]);
    let m = m.unwrap();
    assert!(doc(&m, "aws_iam_policy.p/policy").policy.is_err());
}

/// AWS provider v6's `region` argument of `data "aws_region"`
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/region):
/// the Region it names, the provider's when it is null (red team 28: terraform-aws-eks's
/// Karpenter module).
#[test]
fn a_region_data_source_with_a_region_argument() {
    let main = |arg: &str| {
        format!(
            "variable \"region\" {{\n  type    = string\n  default = null\n}}\ndata \"aws_region\" \"current\" {{\n  region = {arg}\n}}\nresource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{Version = \"2012-10-17\", Statement = [{{Effect = \"Allow\", Action = \"ssm:GetParameter\", Resource = \"arn:aws:ssm:${{data.aws_region.current.region}}:111122223333:parameter/app\"}}]}})\n}}\n"
        )
    };
    let resource = |arg: &str| -> String {
        let inputs = Inputs {
            region: Some("eu-west-1".into()),
            ..Default::default()
        };
        let (_d, m) = module_with(&[("main.tf", &main(arg))], &inputs);
        let m = m.unwrap();
        let p = policy(&m, "aws_iam_policy.p/policy");
        p.statements[0].resource.as_ref().unwrap().items[0]
            .value
            .clone()
    };
    assert_eq!(
        resource("\"us-west-2\""),
        "arn:aws:ssm:us-west-2:111122223333:parameter/app"
    );
    assert_eq!(
        resource("var.region"),
        "arn:aws:ssm:eu-west-1:111122223333:parameter/app"
    );
}

/// `data.aws_partition` and `data.aws_region` follow the Region: the default `aws` provider's
/// own `region` when the configuration sets one, else `--region`
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/region,
/// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/partition;
/// red-team pass 18).
#[test]
fn region_and_partition_data_sources_follow_the_provider() {
    let main = |provider: &str| {
        format!(
            r#"
{provider}
data "aws_region" "current" {{}}
data "aws_partition" "current" {{}}
resource "aws_iam_policy" "p" {{
  policy = jsonencode({{Version = "2012-10-17", Statement = [{{Effect = "Allow", Action = "sqs:SendMessage", Resource = "arn:${{data.aws_partition.current.partition}}:sqs:${{data.aws_region.current.name}}:111122223333:q"}}]}})
}}
"#
        )
    };
    let resource = |provider: &str, region: Option<&str>| -> String {
        let inputs = Inputs {
            region: region.map(str::to_string),
            ..Default::default()
        };
        let (_d, m) = module_with(&[("main.tf", &main(provider))], &inputs);
        let m = m.unwrap();
        let p = policy(&m, "aws_iam_policy.p/policy");
        p.statements[0].resource.as_ref().unwrap().items[0]
            .value
            .clone()
    };
    assert_eq!(
        resource("", Some("us-gov-west-1")),
        "arn:aws-us-gov:sqs:us-gov-west-1:111122223333:q"
    );
    assert_eq!(
        resource(
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}",
            Some("us-east-1")
        ),
        "arn:aws:sqs:eu-west-1:111122223333:q"
    );
    assert_eq!(
        resource("provider \"aws\" {\n  region = \"cn-north-1\"\n}", None),
        "arn:aws-cn:sqs:cn-north-1:111122223333:q"
    );
    // an aliased provider is not the default one
    assert_eq!(
        resource(
            "provider \"aws\" {\n  alias  = \"west\"\n  region = \"eu-west-1\"\n}",
            Some("us-east-1")
        ),
        "arn:aws:sqs:us-east-1:111122223333:q"
    );
}

/// A conditional whose condition is not known (a variable without value, a comparison) is
/// read both ways, as Terraform would take one branch or the other
/// (https://developer.hashicorp.com/terraform/language/expressions/conditionals): the
/// `count = var.create ? 1 : 0` pattern of the terraform-aws-modules and a policy whose
/// `Action` is `var.admin ? "*" : ...` give one variant per combination, each naming the
/// conditions it assumed. Conditions written alike (the role's and the policy's `count`) take
/// one value: the policy never outlives its role. A placeholder never stands for `*`.
#[test]
fn undecided_conditionals_are_read_both_ways() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"variable "create" { type = bool }
variable "admin" { type = bool }
resource "aws_iam_role" "r" {
  count = var.create ? 1 : 0
  name  = "r"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "sts:AssumeRole", Principal = {Service = "ec2.amazonaws.com"}}]})
}
resource "aws_iam_role_policy" "p" {
  count = var.create ? 1 : 0
  role  = aws_iam_role.r[0].id
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = var.admin ? "*" : "s3:GetObject", Resource = "*"}]})
}
"#,
    )]);
    let m = m.unwrap();
    let t = &m.template;
    let seen: Vec<(String, Vec<String>)> = t
        .variants
        .iter()
        .map(|x| {
            let actions = x
                .docs
                .iter()
                .filter(|d| d.path.starts_with("aws_iam_role_policy.p"))
                .map(|d| format!("{:?}", d.policy.as_ref().unwrap().statements[0].action))
                .collect();
            (crate::iac::cfn::Template::describe(&x.assumed), actions)
        })
        .collect();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[0].0, "`var.create`=false");
    assert!(seen[0].1.is_empty(), "{seen:?}");
    assert_eq!(seen[1].0, "`var.admin`=false, `var.create`=true");
    assert!(seen[1].1[0].contains("s3:GetObject"), "{seen:?}");
    assert_eq!(seen[2].0, "`var.admin`=true, `var.create`=true");
    assert!(seen[2].1[0].contains("\"*\""), "{seen:?}");
    assert!(
        t.variants.iter().all(|x| x
            .docs
            .iter()
            .all(|d| !format!("{:?}", d.policy).contains("UNKNOWN-expr"))),
        "no placeholder stands for a branch"
    );
    assert_eq!(t.undecided.len(), 2);
    // given values decide: one variant, nothing assumed
    let dir = _d.path().join("m");
    let mut inputs = Inputs::default();
    inputs.params.insert("create".into(), "true".into());
    inputs.params.insert("admin".into(), "false".into());
    let m = load(&dir.join("main.tf"), &inputs).unwrap();
    assert_eq!(m.template.variants.len(), 1);
    assert!(m.template.variants[0].assumed.is_empty());
}

/// More undecided conditions than [`super::MAX_UNDECIDED`] is an error that names
/// them and says how to decide them, never a guess.
#[test]
fn too_many_undecided_conditionals_is_an_error() {
    let mut text = String::new();
    for i in 0..super::MAX_UNDECIDED + 2 {
        text.push_str(&format!(
            "variable \"v{i}\" {{ type = bool }}\nresource \"aws_iam_policy\" \"p{i}\" {{\n  count = var.v{i} ? 1 : 0\n  policy = jsonencode({{Version = \"2012-10-17\", Statement = [{{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"*\"}}]}})\n}}\n"
        ));
    }
    let (_d, m) = module(&[("main.tf", &text)]);
    let e = m.err().expect("an error");
    assert!(e.message.contains("cannot be decided"), "{}", e.message);
    assert!(e.message.contains("`var.v0`"), "{}", e.message);
}

/// Red team 22: a condition on the instance (`count.index == var.k`) is assumed per instance
/// (instance 0 `true` and instance 1 `false` is a combination Terraform deploys); `&&` is
/// assumed operand by operand, so `var.create && var.admin` and `var.create` read one
/// `var.create`; a `dynamic` block whose `for_each` is `var.admin ? [1] : []` is read both
/// ways (its placeholder made the first run fail).
#[test]
fn undecided_conditionals_per_instance_operand_and_dynamic_block() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"variable "k" { default = 0 }
resource "aws_iam_policy" "p" {
  count  = 2
  name   = "p${count.index}"
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = count.index == var.k ? "iam:*" : "s3:GetObject", Resource = "*"}]})
}
"#,
    )]);
    let t = m.unwrap().template;
    let mixed = t.variants.iter().any(|x| {
        let actions: Vec<String> = x
            .docs
            .iter()
            .map(|d| format!("{:?}", d.policy.as_ref().unwrap().statements[0].action))
            .collect();
        actions.len() == 2 && actions[0].contains("iam:*") && actions[1].contains("s3:GetObject")
    });
    assert!(
        mixed,
        "instance 0 `iam:*`, instance 1 `s3:GetObject` is read"
    );

    let (_d, m) = module(&[(
        "main.tf",
        r#"variable "create" { default = true }
variable "admin" { default = false }
resource "aws_iam_role" "r" {
  count = var.create ? 1 : 0
  name  = "r"
}
resource "aws_iam_role_policy_attachment" "admin" {
  count      = var.create && var.admin ? 1 : 0
  role       = aws_iam_role.r[0].name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"#,
    )]);
    let t = m.expect("no impossible combination").template;
    assert_eq!(t.undecided.len(), 2, "{:?}", t.undecided);
    assert!(t.variants.iter().any(|x| x.principals.iter().any(|p| {
        p.identity
            .iter()
            .any(|a| format!("{a:?}").contains("AdministratorAccess"))
    })));

    let (_d, m) = module(&[(
        "main.tf",
        r#"variable "admin" { default = false }
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.admin ? [1] : []
    content {
      actions   = ["*"]
      resources = ["*"]
    }
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
"#,
    )]);
    let t = m.expect("read both ways").template;
    let counts: Vec<usize> = t
        .variants
        .iter()
        .map(|x| x.docs[0].policy.as_ref().unwrap().statements.len())
        .collect();
    assert_eq!(counts, [1, 2]);
}

/// The statements and actions of the only variant of `aws_iam_policy.p/policy`.
fn statement_actions(m: &Module) -> Vec<Vec<String>> {
    policy(m, "aws_iam_policy.p/policy")
        .statements
        .iter()
        .map(|s| s.action.items.iter().map(|a| a.text.clone()).collect())
        .collect()
}

/// `for` expressions over known lists and maps, with `if` filters and grouping
/// (<https://developer.hashicorp.com/terraform/language/expressions/for>): a map is iterated in
/// the lexical order of its keys; `[*]` applies to each element
/// (<https://developer.hashicorp.com/terraform/language/expressions/splat>).
#[test]
fn for_expressions_build_statements() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"locals {
  urls    = ["https://a.example.com", "https://b.example.com"]
  hosts   = [for u in local.urls : replace(u, "https://", "")]
  perms   = { zread = ["s3:GetObject"], awrite = ["s3:PutObject", "s3:DeleteObject"] }
  keep    = [for k, v in local.perms : v if k != "zread"]
  grouped = { for p in ["s3:GetObject", "sqs:SendMessage", "s3:PutObject"] : split(":", p)[0] => p... }
  objs    = [{ a = "x:One" }, { a = "x:Two" }]
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [for h in local.hosts : { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${h}/*" }],
      [{ Effect = "Allow", Action = flatten(local.keep), Resource = "*" }],
      [{ Effect = "Allow", Action = local.grouped["s3"], Resource = "*" }],
      [{ Effect = "Allow", Action = [for k, v in local.perms : k], Resource = "*" }],
      [{ Effect = "Allow", Action = local.objs[*].a, Resource = "*" }],
    )
  })
}
"#,
    )]);
    let m = m.unwrap();
    let p = policy(&m, "aws_iam_policy.p/policy");
    let resources: Vec<String> = p.statements[..2]
        .iter()
        .flat_map(|s| {
            s.resource
                .iter()
                .flat_map(|r| r.items.iter().map(|i| i.value.clone()))
        })
        .collect();
    assert_eq!(
        resources,
        [
            "arn:aws:s3:::a.example.com/*",
            "arn:aws:s3:::b.example.com/*"
        ]
    );
    let a = statement_actions(&m);
    assert_eq!(a[2], ["s3:PutObject", "s3:DeleteObject"]);
    assert_eq!(a[3], ["s3:GetObject", "s3:PutObject"]);
    assert_eq!(a[4], ["awrite", "zread"], "lexical order of the keys");
    assert_eq!(a[5], ["x:One", "x:Two"]);
}

/// A filter not known is read both ways per element, never dropped or kept on a guess.
#[test]
fn an_unknown_for_filter_is_assumed_per_element() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"variable "admin" {}
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for a in ["s3:GetObject", "iam:*"] : { Effect = "Allow", Action = a, Resource = "*" } if a != "iam:*" || var.admin]
  })
}
"#,
    )]);
    let t = m.unwrap().template;
    let mut counts: Vec<usize> = t
        .variants
        .iter()
        .map(|x| x.docs[0].policy.as_ref().unwrap().statements.len())
        .collect();
    counts.sort();
    assert_eq!(counts, [1, 2], "with and without the iam:* statement");
}

/// The pure functions real modules shape policies with, on known values
/// (<https://developer.hashicorp.com/terraform/language/functions>): `coalesce` skips null and
/// empty strings, `compact` drops them, `merge` lets later maps win, `lookup` falls back to its
/// default, `element` wraps around, `try` falls back past an index out of range, `format`.
#[test]
fn pure_functions_on_known_values() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"variable "extra" { default = null }
locals {
  empty = []
  m     = merge({ a = "s3:GetObject", b = "s3:PutObject" }, { b = "sqs:SendMessage" })
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = coalesce("", null, "s3:ListBucket"), Resource = "*" },
      { Effect = "Allow", Action = compact(["s3:GetObject", "", null]), Resource = "*" },
      { Effect = "Allow", Action = [local.m.a, local.m.b], Resource = "*" },
      { Effect = "Allow", Action = lookup(local.m, "zz", "kms:Decrypt"), Resource = "*" },
      { Effect = "Allow", Action = element(["a:One", "a:Two"], 3), Resource = "*" },
      { Effect = "Allow", Action = try(local.empty[0], "sns:Publish"), Resource = "*" },
      { Effect = "Allow", Action = format("%s:%s", "logs", "PutLogEvents"), Resource = "*" },
      { Effect = "Allow", Action = lower(trimprefix("xS3:GETOBJECT", "x")), Resource = "*" },
    ]
  })
}
"#,
    )]);
    let m = m.unwrap();
    let a = statement_actions(&m);
    assert_eq!(a[0], ["s3:ListBucket"]);
    assert_eq!(a[1], ["s3:GetObject"]);
    assert_eq!(a[2], ["s3:GetObject", "sqs:SendMessage"]);
    assert_eq!(a[3], ["kms:Decrypt"]);
    assert_eq!(a[4], ["a:Two"]);
    assert_eq!(a[5], ["sns:Publish"]);
    assert_eq!(a[6], ["logs:PutLogEvents"]);
    assert_eq!(a[7], ["s3:getobject"]);
}

/// A variable's value is converted to its declared type: an `optional(T, DEFAULT)` attribute
/// that is missing is its default, without one it is null
/// (<https://developer.hashicorp.com/terraform/language/expressions/type-constraints#optional-object-type-attributes>).
/// So a statement map read through `dynamic` (as terraform-aws-modules writes it) gets the
/// effect its type gives, and `!= null` on a missing optional attribute is decided.
#[test]
fn optional_attributes_take_their_defaults() {
    let (_d, m) = module(&[
        (
            "main.tf",
            r#"variable "statements" {
  type = map(object({
    effect    = optional(string, "Deny")
    actions   = list(string)
    condition = optional(list(object({ test = string, variable = string, values = list(string) })))
  }))
}
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.statements
    content {
      effect    = statement.value.effect
      actions   = statement.value.actions
      resources = ["*"]
      dynamic "condition" {
        for_each = statement.value.condition != null ? statement.value.condition : []
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.d.json
}
"#,
        ),
        (
            "terraform.tfvars",
            r#"statements = {
  one = { actions = ["iam:*"] }
  two = { effect = "Allow", actions = ["s3:GetObject"], condition = [{ test = "Bool", variable = "aws:SecureTransport", values = ["true"] }] }
}
"#,
        ),
    ]);
    let m = m.unwrap();
    assert_eq!(m.template.variants.len(), 1, "nothing left undecided");
    let p = policy(&m, "aws_iam_policy.p/policy");
    let effects: Vec<String> = p
        .statements
        .iter()
        .map(|s| format!("{:?}", s.effect))
        .collect();
    assert!(effects[0].contains("Deny"), "{effects:?}");
    assert!(effects[1].contains("Allow"), "{effects:?}");
    assert!(p.statements[0].conditions.is_empty());
    assert_eq!(p.statements[1].conditions.len(), 1);
}

/// Comparisons of known numbers decide (`length(var.x) > 0`); one that reads the account
/// stand-in (no `--account`) does not: the real account may be the one compared with.
#[test]
fn comparisons_decide_on_known_values_only() {
    let text = r#"data "aws_caller_identity" "current" {}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = data.aws_caller_identity.current.account_id == "111122223333" ? [] : [1]
    content {
      actions   = ["iam:*"]
      resources = ["*"]
    }
  }
}
module "m" {
  source   = "./m"
  subjects = ["repo:o/r:ref:refs/heads/main"]
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.d.json
}
"#;
    let child = r#"variable "subjects" { type = list(string) }
resource "aws_iam_policy" "q" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = length(var.subjects) > 0 ? "sts:GetCallerIdentity" : "*", Resource = "*" }]
  })
}
"#;
    let (_d, m) = module(&[("main.tf", text), ("m/main.tf", child)]);
    let m = m.unwrap();
    let mut counts: Vec<usize> = m
        .template
        .variants
        .iter()
        .map(|x| policy_in(x, "aws_iam_policy.p/policy").statements.len())
        .collect();
    counts.sort();
    assert_eq!(counts, [1, 2], "the account comparison is read both ways");
    for v in &m.template.variants {
        let q = policy_in(v, "module.m.aws_iam_policy.q/policy");
        let a: Vec<&str> = q.statements[0]
            .action
            .items
            .iter()
            .map(|a| a.text.as_str())
            .collect();
        assert_eq!(a, ["sts:GetCallerIdentity"]);
    }
}

/// A SAML or OIDC provider's ARN from its resource (`id` is the ARN; an OIDC provider is named
/// by its URL without the scheme): the trust policy's principal is the provider, not a
/// placeholder that reads as no provider at all.
#[test]
fn identity_provider_arns_from_their_resources() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"resource "aws_iam_saml_provider" "s" {
  name                   = "idp"
  saml_metadata_document = "x"
}
resource "aws_iam_openid_connect_provider" "o" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRoleWithSAML", Principal = { Federated = aws_iam_saml_provider.s.id } },
      { Effect = "Allow", Action = "sts:AssumeRoleWithWebIdentity", Principal = { Federated = aws_iam_openid_connect_provider.o.arn } },
    ]
  })
}
"#,
    )]);
    let m = m.unwrap();
    let dbg = format!("{:?}", m.template.variants[0].docs);
    assert!(
        dbg.contains("arn:aws:iam::000000000000:saml-provider/idp"),
        "{dbg}"
    );
    assert!(
        dbg.contains("arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com"),
        "{dbg}"
    );
}

fn policy_in<'a>(x: &'a crate::iac::cfn::Extract, path: &str) -> &'a Policy {
    x.docs
        .iter()
        .find(|d| d.path == path)
        .and_then(|d| d.policy.as_ref().ok())
        .unwrap_or_else(|| panic!("no {path}"))
}

/// Two `condition` blocks with one test and one variable are one condition with the values of
/// both, as the provider renders them (`raw[c.Test][c.Variable] = append(...)`): IAM ORs the
/// values of one key (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html>).
/// Read as two entries of one key (AND), the statement allowed nothing (red team 23).
#[test]
fn condition_blocks_on_one_key_merge_their_values() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-1a2b3c4d"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-5e6f7a8b"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpc"
      values   = ["vpc-1a2b3c4d"]
    }
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}
"#,
    )]);
    let m = m.unwrap();
    let p = policy(&m, "aws_iam_policy.p/policy");
    let c = &p.statements[0].conditions;
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(c[0].key, "aws:SourceVpce");
    assert_eq!(c[0].values.len(), 2);
    assert_eq!(c[1].values.len(), 1);
}

/// What decides no branch directly decides none through a binding either (red team 24): a
/// root variable's default or the partition stand-in carried by a `for` variable, a `dynamic`
/// iterator or an instance's `each.value` leaves the comparison undecided (read both ways);
/// `lookup` keyed by the stand-in is not known; `==` of lists is not decided (Terraform also
/// compares their types, https://developer.hashicorp.com/terraform/language/expressions/operators);
/// a null in a string template is an error `try` falls back past; `toset` holds each value
/// once, strings in lexical order.
#[test]
fn bindings_carry_what_decides_no_branch() {
    let variants = |body: &str| -> Vec<Vec<String>> {
        let (_d, m) = module(&[("main.tf", body)]);
        let m = m.unwrap_or_else(|e| panic!("{}", e.message));
        let mut out: Vec<Vec<String>> = m
            .template
            .variants
            .iter()
            .map(|x| {
                policy_in(x, "aws_iam_policy.p/policy")
                    .statements
                    .iter()
                    .flat_map(|s| s.action.items.iter().map(|a| a.text.clone()))
                    .collect()
            })
            .collect();
        out.sort();
        out
    };
    let doc = |acts: &str| {
        format!(
            r#"resource "aws_iam_policy" "p" {{
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {acts}, Resource = "*" }}]
  }})
}}
"#
        )
    };
    let both = vec![
        vec!["iam:PassRole".to_string()],
        vec!["s3:GetObject".to_string()],
    ];
    // a root default through a `for` variable: read both ways; where `e == "dev"` is false,
    // `var.envs` is not its default `["dev"]` but a list given, not known: the actions are a
    // placeholder (not `iam:PassRole` once per element of the default)
    let v = variants(&format!(
        "variable \"envs\" {{ default = [\"dev\"] }}\n{}",
        doc(r#"[for e in var.envs : e == "dev" ? "s3:GetObject" : "iam:PassRole"]"#)
    ));
    assert_eq!(v.len(), 2, "{v:?}");
    assert_eq!(v[1], ["s3:GetObject"]);
    assert!(v[0].len() == 1 && v[0][0].starts_with("UNKNOWN-"), "{v:?}");
    // the partition stand-in through a `for` variable
    let v = variants(&format!(
        "data \"aws_partition\" \"c\" {{}}\n{}",
        doc(
            r#"[for p in [data.aws_partition.c.partition] : p == "aws" ? "s3:GetObject" : "iam:PassRole"]"#
        )
    ));
    assert_eq!(v, both);
    // a list compared with a tuple literal
    let v = variants(&format!(
        "variable \"l\" {{ type = list(string) }}\nlocals {{ l = [\"a\"] }}\n{}",
        doc(r#"local.l == ["a"] ? "s3:GetObject" : "iam:PassRole""#)
    ));
    assert_eq!(v, both);
    // `try` past a null in a template
    let v = variants(&format!(
        "variable \"b\" {{\n  type    = string\n  default = null\n}}\nlocals {{ r = try(\"x:${{var.b}}\", \"iam:PassRole\") }}\n{}",
        doc("local.r")
    ));
    assert_eq!(v, [["iam:PassRole"]]);
    // a set: each value once, in lexical order
    let v = variants(&doc(
        r#"element(tolist(toset(["s3:GetObject", "iam:PassRole", "s3:GetObject"])), 0)"#,
    ));
    assert_eq!(v, [["iam:PassRole"]]);
    let (_d, m) = module(&[(
        "main.tf",
        &format!(
            "data \"aws_partition\" \"c\" {{}}\n{}",
            doc(
                r#"lookup({ aws = "s3:GetObject" }, data.aws_partition.c.partition, "iam:PassRole")"#
            )
        ),
    )]);
    let a = format!(
        "{:?}",
        policy(&m.unwrap(), "aws_iam_policy.p/policy").statements[0].action
    );
    assert!(a.contains("UNKNOWN-lookup"), "{a}");
}

/// `replace()` over a `jsonencode(...)` or a policy document's `json`: the replacement in each
/// string, as in the encoded text (https://developer.hashicorp.com/terraform/language/functions/replace;
/// terraform-aws-modules/s3-bucket fills `_S3_BUCKET_ARN_` in its bucket policies so), the
/// statement still pointing at its `.tf` line. A substring that may match outside the JSON
/// strings (`:`) or a replacement that needs escaping (`"`) is a placeholder: not the same as
/// the text replacement. (Red team 60.)
#[test]
fn replace_over_encoded_json_replaces_in_its_strings() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["_ARN_/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_s3_bucket_policy" "a" {
  bucket = "b"
  policy = replace(replace(data.aws_iam_policy_document.d.json, "_ARN_", "arn:aws:s3:::_ID_"), "_ID_", "b")
}
resource "aws_s3_bucket_policy" "e" {
  bucket = "b"
  policy = replace(jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "_ARN_/*" }]
  }), "_ARN_", "arn:aws:s3:::b")
}
resource "aws_s3_bucket_policy" "colon" {
  bucket = "b"
  policy = replace(jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }] }), ":", "-")
}
resource "aws_s3_bucket_policy" "quote" {
  bucket = "b"
  policy = replace(jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "_ARN_" }] }), "_ARN_", "a\"b")
}
"#,
    )]);
    let m = m.unwrap();
    for path in [
        "aws_s3_bucket_policy.a/policy",
        "aws_s3_bucket_policy.e/policy",
    ] {
        let p = policy(&m, path);
        assert_eq!(
            resources(p),
            vec![vec!["arn:aws:s3:::b/*".to_string()]],
            "{path}"
        );
    }
    assert_eq!(
        line_of_action(policy(&m, "aws_s3_bucket_policy.e/policy")),
        19
    );
    for path in [
        "aws_s3_bucket_policy.colon/policy",
        "aws_s3_bucket_policy.quote/policy",
    ] {
        let e = doc(&m, path).policy.as_ref().unwrap_err();
        assert!(
            e.message.contains("UNKNOWN-replace"),
            "{path}: {}",
            e.message
        );
    }
}

/// `policy = null` on a resource whose policy argument is optional (`aws_sns_topic`) is the
/// argument left out (https://developer.hashicorp.com/terraform/language/expressions/types#null):
/// no document, AWS's default policy; a policy resource's required `policy` stays an error.
/// (Red team 60: terraform-aws-sns.)
#[test]
fn a_null_optional_policy_is_no_policy() {
    let (_d, m) = module(&[(
        "main.tf",
        "resource \"aws_sns_topic\" \"t\" {\n  name   = \"t\"\n  policy = null\n}\nresource \"aws_sns_topic_policy\" \"p\" {\n  arn    = aws_sns_topic.t.arn\n  policy = null\n}\n",
    )]);
    let m = m.unwrap();
    let x = &m.template.variants[0];
    assert!(
        !x.docs.iter().any(|d| d.path == "aws_sns_topic.t/policy"),
        "{:?}",
        x.docs.iter().map(|d| &d.path).collect::<Vec<_>>()
    );
    assert!(doc(&m, "aws_sns_topic_policy.p/policy").policy.is_err());
    // `""`, an optional policy's default in modules (cloudposse/terraform-aws-kms-key), is the
    // argument left out too; a policy resource's `""` stays an error (red team 71b)
    let (_d, m) = module(&[(
        "main.tf",
        "variable \"policy\" {\n  type    = string\n  default = \"\"\n}\nresource \"aws_kms_key\" \"k\" {\n  policy = var.policy\n}\nresource \"aws_sns_topic_policy\" \"p\" {\n  arn    = \"arn:aws:sns:us-east-1:111122223333:t\"\n  policy = \"\"\n}\n",
    )]);
    let m = m.unwrap();
    let x = &m.template.variants[0];
    assert!(
        !x.docs.iter().any(|d| d.path == "aws_kms_key.k/policy"),
        "{:?}",
        x.docs.iter().map(|d| &d.path).collect::<Vec<_>>()
    );
    assert!(doc(&m, "aws_sns_topic_policy.p/policy").policy.is_err());
}

/// `data.aws_region.X.id` is the Region's name, as `name` and `region` are
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/region):
/// a service principal built from it is a Regional service principal, not a placeholder
/// (red team 60: serverless-patterns' `logs.${data.aws_region.current.id}.amazonaws.com`).
#[test]
fn a_region_data_sources_id_is_the_region() {
    let text = "data \"aws_region\" \"current\" {}\nresource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"logs:PutLogEvents\", Resource = \"arn:aws:logs:${data.aws_region.current.id}:111122223333:log-group:x\"}]})\n}\n";
    for (region, want) in [(Some("eu-west-1"), "eu-west-1"), (None, "xx-unknown-1")] {
        let inputs = Inputs {
            region: region.map(str::to_string),
            ..Default::default()
        };
        let (_d, m) = module_with(&[("main.tf", text)], &inputs);
        let m = m.unwrap();
        let p = policy(&m, "aws_iam_policy.p/policy");
        assert_eq!(
            p.statements[0].resource.as_ref().unwrap().items[0].value,
            format!("arn:aws:logs:{want}:111122223333:log-group:x")
        );
    }
}

/// `var.x == null` and `var.x != null` are one test: of their four combinations only the two
/// a value gives are read (terraform-aws-modules/s3-bucket's `table-bucket`: a data source
/// counted on `var.policy == null`, read as `d[0]` through `var.policy != null ? ... : ...`,
/// had "no instance `[0]`" in a combination no value gives). A null test of a value that
/// read only the caller's account stand-in is decided: a stand-in is a string, never null
/// (terraform-aws-sqs's `statement.value.principals != null`). (Red team 60.)
#[test]
fn null_tests_are_tied_and_not_undecided_by_stand_ins() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"variable "policy" {
  type    = string
  default = null
}
resource "aws_sqs_queue_policy" "this" {
  queue_url = "https://sqs.us-east-1.amazonaws.com/111122223333/q"
  policy    = var.policy != null ? var.policy : data.aws_iam_policy_document.this[0].json
}
data "aws_iam_policy_document" "this" {
  count = var.policy == null ? 1 : 0
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}
"#,
    )]);
    let m = m.unwrap();
    assert_eq!(m.template.variants.len(), 2, "{:?}", m.template.undecided);
    // (the variant with the default reads the data source's policy; the other, the policy a
    // caller gives, which is not known: not "null")
    assert!(m.template.variants.iter().any(|x| {
        x.docs
            .iter()
            .any(|d| d.path == "aws_sqs_queue_policy.this/policy" && d.policy.is_ok())
    }));
    assert!(m.template.variants.iter().any(|x| {
        x.docs.iter().any(|d| {
            d.path == "aws_sqs_queue_policy.this/policy"
                && d.policy
                    .as_ref()
                    .is_err_and(|e| e.message.contains("UNKNOWN-var.policy-given"))
        })
    }));
    let (_d, m) = module(&[(
        "main.tf",
        r#"data "aws_caller_identity" "current" {}
locals {
  principals = [{ type = "AWS", identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"] }]
}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
    dynamic "principals" {
      for_each = local.principals != null ? local.principals : []
      content {
        type        = principals.value.type
        identifiers = principals.value.identifiers
      }
    }
  }
}
resource "aws_sqs_queue_policy" "p" {
  queue_url = "https://sqs.us-east-1.amazonaws.com/111122223333/q"
  policy    = data.aws_iam_policy_document.p.json
}
"#,
    )]);
    let m = m.unwrap();
    assert_eq!(m.template.variants.len(), 1, "{:?}", m.template.undecided);
    let p = policy(&m, "aws_sqs_queue_policy.p/policy");
    assert!(p.statements[0].principal.is_some());
}

/// `replace()` over a JSON value whose strings hold a character the encoding escapes
/// (`jsonencode` writes `&` as `\u0026`): the substring may match the letters of the escape in
/// the text Terraform replaces in (`"0026"` → `"002a"` turns `&` into `*`), so it is not
/// evaluated; a vault lock's `policy = null` stays an error (the argument is required). (Red
/// team 61.)
#[test]
fn replace_over_json_with_escaped_characters_is_not_evaluated() {
    let (_d, m) = module(&[(
        "main.tf",
        r#"resource "aws_s3_bucket_policy" "p" {
  bucket = "b"
  policy = replace(jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "&", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" }] }), "0026", "002a")
}
resource "aws_glacier_vault_lock" "l" {
  vault_name = "v"
  complete_lock = false
  policy = null
}
"#,
    )]);
    let m = m.unwrap();
    let e = doc(&m, "aws_s3_bucket_policy.p/policy")
        .policy
        .as_ref()
        .unwrap_err();
    assert!(e.message.contains("UNKNOWN-replace"), "{}", e.message);
    assert!(doc(&m, "aws_glacier_vault_lock.l/policy").policy.is_err());
}
