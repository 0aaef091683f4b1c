#!/usr/bin/env python3
"""k8s.py — offline checks of deploy/kubernetes/crawl-job.yaml for
tests/deploy/check.sh (issue 8).

  k8s.py validate FILE
      Parse the YAML and check that it is schema-shaped: every object has
      apiVersion/kind/metadata/spec (or data), every key is a field of the
      Kubernetes API type it sits in (a typo such as "completionmode" is
      an error, not a silently ignored field), the Indexed Job fields are
      there and consistent (completions = MENTORSCOUT_SHARDS of both Jobs,
      restartPolicy Never for backoffLimitPerIndex and podFailurePolicy),
      containers have an image and a command, every volumeMount names a
      volume, every volume names an object of the file, subPathExpr uses
      only declared variables, the data volume is not ReadWriteMany
      (LMDB), and the "mentorscout/step" labels split the file into the
      crawl and the merge step.  Prints one "ok" line per check.

  k8s.py run FILE --bin DIR --web DIR --work DIR [--nights N] [--retry K]
      Run the containers' commands here, as written, the way the Job
      controller and kubelet would: the crawl Job's pods (all indexes,
      `parallelism` at a time) with JOB_COMPLETION_INDEX=K and the env of
      the pod spec (the downward-API annotation resolved to K), the
      volume mounts replaced by directories under --work (subPathExpr
      expanded, so pod K sees WORK/data/shard-K), and the ConfigMap's
      config.json with the sample web's feeds (--web DIR/feeds.opml),
      no politeness delay and loopback allowed; then the merge Job's pod.
      Each night once; --retry K runs index K a second time after the
      first night, as the controller does after a failed pod.  Checks the
      exit statuses, the "crawling shard K/N (from JOB_COMPLETION_INDEX)"
      log line of each pod and that the merge printed candidates.
"""
import json
import os
import re
import subprocess
import sys

import yaml

# The fields of the Kubernetes API types this file may use (batch/v1 Job,
# core/v1 PodSpec, Container, ... as in the API reference of Kubernetes
# 1.29-1.32).  A dict maps a field to the type of its value: a dict (an
# object), [dict] (a list of objects), or None (a scalar, a map of
# strings, or a type this check does not descend into).
ANY = None
OBJECT_META = {"name": ANY, "namespace": ANY, "labels": ANY,
               "annotations": ANY, "generateName": ANY}
ENV_VAR = {"name": ANY, "value": ANY, "valueFrom": {
    "fieldRef": {"fieldPath": ANY, "apiVersion": ANY},
    "configMapKeyRef": ANY, "secretKeyRef": ANY, "resourceFieldRef": ANY}}
SECURITY_CONTEXT = {"allowPrivilegeEscalation": ANY, "capabilities": {
    "add": ANY, "drop": ANY}, "privileged": ANY, "readOnlyRootFilesystem": ANY,
    "runAsGroup": ANY, "runAsNonRoot": ANY, "runAsUser": ANY,
    "seccompProfile": ANY, "procMount": ANY, "seLinuxOptions": ANY}
CONTAINER = {
    "name": ANY, "image": ANY, "imagePullPolicy": ANY, "command": ANY,
    "args": ANY, "workingDir": ANY, "env": [ENV_VAR], "envFrom": ANY,
    "ports": ANY, "resources": {"limits": ANY, "requests": ANY,
                                "claims": ANY},
    "volumeMounts": [{"name": ANY, "mountPath": ANY, "readOnly": ANY,
                      "subPath": ANY, "subPathExpr": ANY,
                      "mountPropagation": ANY,
                      "recursiveReadOnly": ANY}],
    "securityContext": SECURITY_CONTEXT, "livenessProbe": ANY,
    "readinessProbe": ANY, "startupProbe": ANY, "lifecycle": ANY,
    "stdin": ANY, "tty": ANY, "terminationMessagePath": ANY,
    "terminationMessagePolicy": ANY}
AFFINITY_TERM = {"labelSelector": {"matchLabels": ANY,
                                   "matchExpressions": ANY},
                 "topologyKey": ANY, "namespaces": ANY,
                 "namespaceSelector": ANY, "matchLabelKeys": ANY,
                 "mismatchLabelKeys": ANY}
POD_AFFINITY = {"requiredDuringSchedulingIgnoredDuringExecution":
                [AFFINITY_TERM],
                "preferredDuringSchedulingIgnoredDuringExecution": ANY}
VOLUME = {"name": ANY,
          "configMap": {"name": ANY, "items": ANY, "defaultMode": ANY,
                        "optional": ANY},
          "persistentVolumeClaim": {"claimName": ANY, "readOnly": ANY},
          "emptyDir": ANY, "hostPath": ANY, "secret": ANY, "projected": ANY,
          "ephemeral": ANY, "downwardAPI": ANY}
POD_SPEC = {
    "containers": [CONTAINER], "initContainers": [CONTAINER],
    "restartPolicy": ANY, "securityContext": {
        "runAsNonRoot": ANY, "runAsUser": ANY, "runAsGroup": ANY,
        "fsGroup": ANY, "fsGroupChangePolicy": ANY,
        "supplementalGroups": ANY, "seccompProfile": ANY, "sysctls": ANY,
        "seLinuxOptions": ANY},
    "affinity": {"podAffinity": POD_AFFINITY,
                 "podAntiAffinity": POD_AFFINITY, "nodeAffinity": ANY},
    "volumes": [VOLUME], "nodeSelector": ANY, "tolerations": ANY,
    "serviceAccountName": ANY, "automountServiceAccountToken": ANY,
    "terminationGracePeriodSeconds": ANY, "activeDeadlineSeconds": ANY,
    "priorityClassName": ANY, "dnsPolicy": ANY, "dnsConfig": ANY,
    "hostname": ANY, "subdomain": ANY, "imagePullSecrets": ANY,
    "topologySpreadConstraints": ANY, "enableServiceLinks": ANY}
JOB_SPEC = {
    "activeDeadlineSeconds": ANY, "backoffLimit": ANY,
    "backoffLimitPerIndex": ANY, "completionMode": ANY, "completions": ANY,
    "managedBy": ANY, "manualSelector": ANY, "maxFailedIndexes": ANY,
    "parallelism": ANY, "podFailurePolicy": {"rules": [{
        "action": ANY,
        "onExitCodes": {"containerName": ANY, "operator": ANY,
                        "values": ANY},
        "onPodConditions": [{"type": ANY, "status": ANY}]}]},
    "podReplacementPolicy": ANY, "selector": ANY, "successPolicy": ANY,
    "suspend": ANY, "ttlSecondsAfterFinished": ANY,
    "template": {"metadata": OBJECT_META, "spec": POD_SPEC}}
KINDS = {
    ("v1", "ConfigMap"): {"apiVersion": ANY, "kind": ANY,
                          "metadata": OBJECT_META, "data": ANY,
                          "binaryData": ANY, "immutable": ANY},
    ("v1", "PersistentVolumeClaim"): {
        "apiVersion": ANY, "kind": ANY, "metadata": OBJECT_META,
        "spec": {"accessModes": ANY, "storageClassName": ANY,
                 "resources": {"requests": ANY, "limits": ANY},
                 "volumeMode": ANY, "selector": ANY, "volumeName": ANY,
                 "dataSource": ANY, "dataSourceRef": ANY}},
    ("batch/v1", "Job"): {"apiVersion": ANY, "kind": ANY,
                          "metadata": OBJECT_META, "spec": JOB_SPEC},
}
INT_FIELDS = ("completions", "parallelism", "backoffLimit",
              "backoffLimitPerIndex", "activeDeadlineSeconds",
              "ttlSecondsAfterFinished", "maxFailedIndexes")
DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
INDEX_ANNOTATION = \
    "metadata.annotations['batch.kubernetes.io/job-completion-index']"

failures = 0


def check(ok, msg):
    global failures
    print(("ok    " if ok else "FAIL  ") + msg)
    if not ok:
        failures += 1
    return ok


def shape(value, schema, where, errors):
    """Every key of value is a field of schema; recurse into known types."""
    if isinstance(schema, list):
        if not isinstance(value, list):
            errors.append("%s: expected a list" % where)
            return
        for i, item in enumerate(value):
            shape(item, schema[0], "%s[%d]" % (where, i), errors)
        return
    if schema is ANY:
        return
    if not isinstance(value, dict):
        errors.append("%s: expected an object" % where)
        return
    for key, sub in value.items():
        if key not in schema:
            errors.append("%s: unknown field '%s'" % (where, key))
        else:
            shape(sub, schema[key], "%s.%s" % (where, key), errors)


def load(path):
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    return docs


def by_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d.get("kind") == kind}


def env_of(container):
    return {e["name"]: e for e in container.get("env", [])}


def shards_env(container):
    e = env_of(container).get("MENTORSCOUT_SHARDS")
    return int(e["value"]) if e and "value" in e else None


def validate(path):
    docs = load(path)
    check(len(docs) > 0, "%s: YAML parses (%d objects)" % (path, len(docs)))
    for d in docs:
        name = "%s/%s" % (d.get("kind"), (d.get("metadata") or {})
                          .get("name"))
        base = ("apiVersion" in d and "kind" in d and
                isinstance(d.get("metadata"), dict) and
                ("spec" in d or "data" in d))
        check(base, "%s: has apiVersion, kind, metadata, spec/data" % name)
        schema = KINDS.get((d.get("apiVersion"), d.get("kind")))
        if not check(schema is not None, "%s: a known apiVersion/kind (%s)"
                     % (name, d.get("apiVersion"))):
            continue
        errors = []
        shape(d, schema, name, errors)
        check(not errors, "%s: every field is one of its API type%s"
              % (name, "" if not errors else ": " + "; ".join(errors)))
        check(bool(DNS1123.match(d["metadata"].get("name", ""))) and
              len(d["metadata"]["name"]) <= 63,
              "%s: name is a DNS-1123 label" % name)
        if d["kind"] == "Job":
            spec = d["spec"]
            bad = [k for k in INT_FIELDS
                   if k in spec and not isinstance(spec[k], int)]
            check(not bad, "%s: integer fields are integers %s"
                  % (name, bad or ""))

    cms = by_kind(docs, "ConfigMap")
    pvcs = by_kind(docs, "PersistentVolumeClaim")
    jobs = by_kind(docs, "Job")
    indexed = [j for j in jobs.values()
               if j["spec"].get("completionMode") == "Indexed"]
    merges = [j for j in jobs.values()
              if j["spec"].get("completionMode") != "Indexed"]
    check(len(indexed) == 1, "one Indexed Job (the crawl)")
    check(len(merges) == 1, "one other Job (the merge)")
    if failures:
        return failures
    crawl, merge = indexed[0], merges[0]
    cs = crawl["spec"]
    n = cs.get("completions")
    check(isinstance(n, int) and 1 <= n <= 64,
          "crawl: completions %s is a shard count 1..64" % n)
    par = cs.get("parallelism", 1)
    check(isinstance(par, int) and 1 <= par <= n,
          "crawl: parallelism %s within 1..completions" % par)
    pod = cs["template"]["spec"]
    check(pod.get("restartPolicy") == "Never",
          "crawl: restartPolicy Never (backoffLimitPerIndex and "
          "podFailurePolicy need it)")
    if "backoffLimitPerIndex" in cs:
        check(cs["backoffLimitPerIndex"] >= 0,
              "crawl: backoffLimitPerIndex >= 0")
    names = {c["name"] for c in pod["containers"]}
    for rule in cs.get("podFailurePolicy", {}).get("rules", []):
        check(rule.get("action") in ("FailJob", "FailIndex", "Ignore",
                                     "Count"),
              "crawl: podFailurePolicy action %s" % rule.get("action"))
        if rule.get("action") == "FailIndex":
            check("backoffLimitPerIndex" in cs,
                  "crawl: FailIndex comes with backoffLimitPerIndex")
        oec = rule.get("onExitCodes")
        if oec:
            check(oec.get("containerName") in names and
                  oec.get("operator") in ("In", "NotIn") and
                  all(isinstance(v, int) for v in oec.get("values", [])),
                  "crawl: onExitCodes names a container, In/NotIn, "
                  "integers")

    for job in (crawl, merge):
        jn = job["metadata"]["name"]
        spec = job["spec"]["template"]["spec"]
        vols = {v["name"]: v for v in spec.get("volumes", [])}
        tmpl_labels = job["spec"]["template"].get("metadata", {}) \
            .get("labels", {})
        for c in spec["containers"]:
            img = c.get("image", "")
            check(bool(img) and ":" in img.rsplit("/", 1)[-1] and
                  not img.endswith(":latest"),
                  "%s/%s: image with a pinned tag (%s)" % (jn, c["name"],
                                                          img))
            cmd = c.get("command", [])
            check(isinstance(cmd, list) and len(cmd) == 3 and
                  cmd[:2] == ["/bin/sh", "-c"] and "mentorscout" in cmd[2],
                  "%s/%s: command is /bin/sh -c SCRIPT running "
                  "mentorscout" % (jn, c["name"]))
            env = env_of(c)
            check(shards_env(c) == n,
                  "%s/%s: MENTORSCOUT_SHARDS = crawl completions (%s)"
                  % (jn, c["name"], n))
            for m in c.get("volumeMounts", []):
                check(m["name"] in vols, "%s/%s: volumeMount %s names a "
                      "volume" % (jn, c["name"], m["name"]))
                for var in re.findall(r"\$\((\w+)\)",
                                      m.get("subPathExpr", "")):
                    check(var in env, "%s/%s: subPathExpr variable %s is "
                          "declared in env" % (jn, c["name"], var))
            for e in env.values():
                fr = e.get("valueFrom", {}).get("fieldRef")
                if fr:
                    check(fr["fieldPath"] == INDEX_ANNOTATION,
                          "%s/%s: %s comes from the job-completion-index "
                          "annotation" % (jn, c["name"], e["name"]))
        for v in vols.values():
            if "configMap" in v:
                check(v["configMap"]["name"] in cms,
                      "%s: volume %s: ConfigMap %s is in the file"
                      % (jn, v["name"], v["configMap"]["name"]))
            if "persistentVolumeClaim" in v:
                claim = v["persistentVolumeClaim"]["claimName"]
                check(claim in pvcs, "%s: volume %s: PVC %s is in the file"
                      % (jn, v["name"], claim))
        for term in spec.get("affinity", {}).get("podAffinity", {}).get(
                "requiredDuringSchedulingIgnoredDuringExecution", []):
            sel = term["labelSelector"].get("matchLabels", {})
            check(all(tmpl_labels.get(k) == v for k, v in sel.items()),
                  "%s: podAffinity selects the Job's own pods (the first "
                  "pod can schedule)" % jn)

    shard_mounts = [m for c in pod["containers"]
                    for m in c.get("volumeMounts", [])
                    if "subPathExpr" in m]
    check(len(shard_mounts) == 1 and
          "$(" in shard_mounts[0]["subPathExpr"],
          "crawl: the store volume is mounted per index (subPathExpr)")
    for p in pvcs.values():
        check("ReadWriteMany" not in p["spec"].get("accessModes", []),
              "PVC %s is not ReadWriteMany (LMDB needs a local "
              "filesystem, not NFS)" % p["metadata"]["name"])
    for cm in cms.values():
        text = cm.get("data", {}).get("config.json")
        if text is not None:
            try:
                cfg = json.loads(text)
                ua = cfg.get("crawl", {}).get("user_agent", "")
                check(bool(re.search(r"mailto:|@|https?://", ua)),
                      "ConfigMap %s: config.json is JSON, user agent has a "
                      "contact" % cm["metadata"]["name"])
            except ValueError as e:
                check(False, "ConfigMap %s: config.json: %s"
                      % (cm["metadata"]["name"], e))

    steps = {}
    for d in docs:
        step = d["metadata"].get("labels", {}).get("mentorscout/step")
        steps.setdefault(step, []).append(d["kind"] + "/" +
                                          d["metadata"]["name"])
    check(set(steps) == {"crawl", "merge"} and
          ("Job/" + merge["metadata"]["name"]) in steps["merge"] and
          len(steps["merge"]) == 1,
          "the step labels give the crawl step %s and the merge step %s"
          % (steps.get("crawl"), steps.get("merge")))
    return failures


# ------------------------------------------------------------------ run


def web_feeds(web):
    with open(os.path.join(web, "feeds.opml"), encoding="utf-8") as f:
        return re.findall(r'xmlUrl="([^"]+)"', f.read())


def stand_in_volumes(docs, work, web):
    """The directories that stand in for the volumes: the ConfigMap's
    files (config.json given the sample web's feeds, delay 0, loopback
    allowed) and the PVC's root."""
    vols = {}
    for name, cm in by_kind(docs, "ConfigMap").items():
        d = os.path.join(work, "configmap-" + name)
        os.makedirs(d, exist_ok=True)
        for key, text in cm.get("data", {}).items():
            if key == "config.json":
                cfg = json.loads(text)
                cfg["feeds"] = web_feeds(web)
                cfg.setdefault("crawl", {})
                cfg["crawl"]["host_delay"] = 0
                cfg["crawl"]["allow_private"] = True
                text = json.dumps(cfg, indent=1)
            p = os.path.join(d, key)
            if os.path.exists(p):
                os.chmod(p, 0o644)
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
            os.chmod(p, 0o444)
        vols[("configMap", name)] = d
    for name in by_kind(docs, "PersistentVolumeClaim"):
        d = os.path.join(work, "pvc-" + name)
        os.makedirs(d, exist_ok=True)
        vols[("pvc", name)] = d
    return vols


def pod_env(container, index, bindir):
    """The container's environment as the kubelet builds it: the env list
    ($(VAR) references expanded, the annotation resolved), and
    JOB_COMPLETION_INDEX from the Job controller for an Indexed Job."""
    env = {"PATH": bindir + ":/usr/bin:/bin", "HOME": "/nonexistent"}
    if index is not None:
        env["JOB_COMPLETION_INDEX"] = str(index)
    for e in container.get("env", []):
        if "value" in e:
            env[e["name"]] = re.sub(r"\$\((\w+)\)",
                                    lambda m: env.get(m.group(1), ""),
                                    e["value"])
        else:
            env[e["name"]] = str(index)  # the only fieldRef: the index
    return env


def pod_mounts(container, spec, vols, env):
    """mountPath -> the stand-in directory, subPathExpr expanded."""
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    out = {}
    for m in container.get("volumeMounts", []):
        v = volumes[m["name"]]
        if "configMap" in v:
            d = vols[("configMap", v["configMap"]["name"])]
        else:
            d = vols[("pvc", v["persistentVolumeClaim"]["claimName"])]
        sub = m.get("subPath") or re.sub(
            r"\$\((\w+)\)", lambda x: env[x.group(1)],
            m.get("subPathExpr", ""))
        if sub:
            d = os.path.join(d, sub)
            os.makedirs(d, exist_ok=True)  # the kubelet creates it
        out[m["mountPath"]] = d
    return out


def remap(text, mounts):
    for path in sorted(mounts, key=len, reverse=True):
        text = re.sub(re.escape(path) + r"(?=/|$|\"|')", mounts[path], text)
    return text


def start_pod(job, index, vols, bindir, logdir, tag):
    spec = job["spec"]["template"]["spec"]
    c = spec["containers"][0]
    env = pod_env(c, index, bindir)
    mounts = pod_mounts(c, spec, vols, env)
    for k in list(env):
        env[k] = remap(env[k], mounts)
    cmd = [remap(a, mounts) for a in c["command"]]
    out = open(os.path.join(logdir, tag + ".out"), "w")
    err = open(os.path.join(logdir, tag + ".err"), "w")
    return subprocess.Popen(cmd, env=env, stdout=out, stderr=err), tag


def wait_pods(pods, logdir, n):
    ok = True
    for p, tag in pods:
        rc = p.wait()
        with open(os.path.join(logdir, tag + ".err")) as f:
            err = f.read()
        ok &= check(rc == 0, "pod %s exits 0 (got %d)%s"
                    % (tag, rc, "" if rc == 0 else ": " + err.strip()))
        m = re.match(r"crawl-(\d+)", tag)
        if m:
            k = m.group(1)
            line = "crawling shard %s/%d (from JOB_COMPLETION_INDEX)" % (k, n)
            ok &= check(line in err, "pod %s logs '%s'" % (tag, line))
    return ok


def run(path, bindir, web, work, nights, retry):
    docs = load(path)
    jobs = list(by_kind(docs, "Job").values())
    crawl = [j for j in jobs if j["spec"].get("completionMode") ==
             "Indexed"][0]
    merge = [j for j in jobs if j is not crawl][0]
    n = crawl["spec"]["completions"]
    par = crawl["spec"].get("parallelism", 1)
    logdir = os.path.join(work, "logs")
    os.makedirs(logdir, exist_ok=True)
    vols = stand_in_volumes(docs, work, web)
    for night in range(1, nights + 1):
        todo = list(range(n))
        if night == 1 and retry is not None:
            todo.append(retry)
        seen = set()
        while todo:
            batch, todo = todo[:par], todo[par:]
            pods = []
            for k in batch:
                tag = "crawl-%d-night%d%s" % (k, night,
                                              "-retry" if k in seen else "")
                seen.add(k)
                pods.append(start_pod(crawl, k, vols, bindir, logdir, tag))
            if not wait_pods(pods, logdir, n):
                return 1
        tag = "merge-night%d" % night
        if not wait_pods([start_pod(merge, None, vols, bindir, logdir, tag)],
                         logdir, n):
            return 1
        with open(os.path.join(logdir, tag + ".out")) as f:
            out = f.read()
        check(("merge of %d stores" % n) in out,
              "night %d: the merge job merged %d stores" % (night, n))
        check(re.search(r"^\s*1\s+\S", out, re.M) is not None,
              "night %d: the merge job's discover printed candidates"
              % night)
    return failures


def main(argv):
    if len(argv) >= 3 and argv[1] == "validate":
        return 1 if validate(argv[2]) else 0
    if len(argv) >= 3 and argv[1] == "run":
        opts = {"--bin": None, "--web": None, "--work": None,
                "--nights": "2", "--retry": None}
        args = argv[3:]
        for i in range(0, len(args) - 1, 2):
            if args[i] not in opts:
                break
            opts[args[i]] = args[i + 1]
        if None in (opts["--bin"], opts["--web"], opts["--work"]):
            print(__doc__, file=sys.stderr)
            return 2
        retry = int(opts["--retry"]) if opts["--retry"] else None
        return 1 if run(argv[2], opts["--bin"], opts["--web"],
                        opts["--work"], int(opts["--nights"]), retry) else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
