#!/usr/bin/env python3
"""Writes hostile inputs (large, deep, wide policies and templates) into a scratch folder, for
timing greenlight on them: `python3 tools/hostile.py OUT_DIR`. Nothing it writes is committed.

Each file is named after what it stresses; README.md's performance section times the release
binary on them.
"""
import json
import os
import sys


def policy(statements):
    return {"Version": "2012-10-17", "Statement": statements}


def write(out, name, doc, indent=None):
    path = os.path.join(out, name)
    with open(path, "w", encoding="utf-8") as f:
        if isinstance(doc, str):
            f.write(doc)
        else:
            json.dump(doc, f, indent=indent, separators=None if indent else (",", ":"))
    return path


def one_line_mb():
    """About 1 MB on one line, with findings (unknown actions, wildcard resources)."""
    st = []
    i = 0
    size = 0
    while size < 1_000_000:
        s = {
            "Sid": f"S{i}",
            "Effect": "Allow",
            "Action": ["s3:GetObject", f"s3:GetObjct{i % 7}", "iam:PassRole"],
            "Resource": "*" if i % 3 == 0 else f"arn:aws:s3:::bucket-{i}/*",
        }
        size += len(json.dumps(s))
        st.append(s)
        i += 1
    return policy(st)


def one_line_actions():
    """One statement, 1 MB of action patterns on one line: unknown actions and wildcards."""
    svc = ["s3", "ec2", "iam", "sqs", "sns", "kms", "lambda", "dynamodb"]
    acts, n, i = [], 0, 0
    while n < 1_000_000:
        a = f"{svc[i % 8]}:*{i}*" if i % 2 else f"{svc[i % 8]}:Get{i}"
        acts.append(a)
        n += len(a) + 3
        i += 1
    return policy([{"Effect": "Allow", "Action": acts, "Resource": "*"}])


def one_line_resources():
    """One statement, 1 MB of wildcard ARNs on one line."""
    res, n, i = [], 0, 0
    while n < 1_000_000:
        r = f"arn:aws:s3:::bucket-{i}/*"
        res.append(r)
        n += len(r) + 3
        i += 1
    return policy([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": res}])


def unknown_actions(n=4_000):
    acts = [f"s3:*{i}*" if i % 2 else f"s3:Get{i}" for i in range(n)]
    return policy([{"Effect": "Allow", "Action": acts, "Resource": "*"}])


def named_principals(n=10_000):
    return policy(
        [
            {
                "Effect": "Allow",
                "Principal": {"AWS": [f"arn:aws:iam::{100000000000 + i}:root" for i in range(n)]},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b/*",
            }
        ]
    )


def account_condition(n=10_000):
    return policy(
        [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b/*",
                "Condition": {"StringEquals": {"aws:PrincipalAccount": [f"{100000000000 + i}" for i in range(n)]}},
            }
        ]
    )


def many_statements(n=10_000):
    return policy(
        [
            {
                "Sid": f"S{i}",
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::bucket-{i}/*",
            }
            for i in range(n)
        ]
    )


def many_actions(n=10_000):
    return policy(
        [{"Effect": "Allow", "Action": [f"s3:Get{i}Object" for i in range(n)], "Resource": "*"}]
    )


def many_resources(n=10_000):
    return policy(
        [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": [f"arn:aws:s3:::bucket-{i}/*" for i in range(n)],
            }
        ]
    )


def star_patterns(n=40):
    """Patterns with many `*` and `?`: a*b*c*d*..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    acts = []
    res = []
    for i in range(n):
        acts.append("s3:" + "*".join(letters[(i + k) % 26] for k in range(12)) + "*")
        res.append("arn:aws:s3:::" + "?*".join(letters[(i + k) % 26] for k in range(10)) + "*")
    return policy([{"Effect": "Allow", "Action": acts, "Resource": res}])


def distinct_patterns(n, offset=0):
    """Many distinct wildcard resource patterns: the atoms of their Boolean algebra explode."""
    res = [f"arn:aws:s3:::*{chr(97 + (i % 26))}{i + offset}*x*" for i in range(n)]
    return policy([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": res}])


def condition_values(n=10_000):
    return policy(
        [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {
                    "StringLike": {"aws:PrincipalTag/team": [f"team-{i}*" for i in range(n)]},
                    "IpAddress": {"aws:SourceIp": [f"10.{i // 256 % 256}.{i % 256}.0/24" for i in range(n)]},
                },
            }
        ]
    )


def deep_json(depth=100_000):
    return '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":' + (
        "[" * depth
    ) + ("]" * depth) + "}]}"


def long_string(n=5_000_000):
    return policy([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "a" * n}])


def deny_conditions(n=2_000, public=False):
    st = []
    for i in range(n):
        st.append(
            {
                "Sid": f"D{i}",
                "Effect": "Deny",
                "Principal": "*",
                "Action": f"s3:Put{i}*",
                "Resource": f"arn:aws:s3:::bucket/{i}/*",
                "Condition": {"StringNotEquals": {"aws:PrincipalAccount": f"{100000000000 + i}"}},
            }
        )
    st.append(
        {
            "Sid": "Read",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"} if not public else "*",
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::bucket/*",
        }
    )
    return policy(st)


def cfn_one_line(kind):
    res = {}
    i = 0
    size = 0
    while size < 1_000_000:
        r = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": policy(
                    [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]
                ),
                "Policies": [
                    {
                        "PolicyName": f"p{i}",
                        "PolicyDocument": policy(
                            [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": f"arn:aws:s3:::b{i}/*"}]
                        ),
                    }
                ],
            },
        }
        size += len(json.dumps(r))
        res[f"Role{i}"] = r
        i += 1
    tpl = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": res}
    text = json.dumps(tpl, separators=(",", ":"))
    # JSON is a subset of YAML: a flow-style YAML document on one line
    return text


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write(out, "one-line-1mb.json", one_line_mb())
    write(out, "ol-actions-1mb.json", one_line_actions())
    write(out, "ol-resources-1mb.json", one_line_resources())
    write(out, "acts4k.json", unknown_actions())
    write(out, "principals-10k.json", named_principals())
    write(out, "accounts-cond-10k.json", account_condition())
    write(out, "old1.json", policy([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]))
    write(out, "statements-10k.json", many_statements(), indent=1)
    write(out, "actions-10k.json", many_actions(), indent=1)
    write(out, "resources-10k.json", many_resources(), indent=1)
    write(out, "stars.json", star_patterns(), indent=1)
    write(out, "distinct-old.json", distinct_patterns(60), indent=1)
    write(out, "distinct-new.json", distinct_patterns(60, 1000), indent=1)
    write(out, "condition-values-10k.json", condition_values(), indent=1)
    write(out, "deep.json", deep_json())
    write(out, "long-string.json", long_string())
    write(out, "deny-conditions.json", deny_conditions(), indent=1)
    write(out, "deny-conditions-public.json", deny_conditions(public=True), indent=1)
    t = cfn_one_line("json")
    write(out, "template-1mb.json", t)
    write(out, "template-1mb.yaml", t)
    print(out)


if __name__ == "__main__":
    main()
