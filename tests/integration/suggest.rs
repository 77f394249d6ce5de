//! The suggester: hint schema, each evidence source on fixtures with known answers,
//! determinism, leave-one-out, and its measured quality on the real rulesets.

use crate::common::lint::project;
use std::collections::HashSet;
use std::path::PathBuf;
use wazuh_mitre::attack::AttackDb;
use wazuh_mitre::config::Config;
use wazuh_mitre::project::Project;
use wazuh_mitre::ruleset::load::RuleRef;
use wazuh_mitre::suggest::eval::{evaluate, EvalRow};
use wazuh_mitre::suggest::hints::{HintSet, EMBEDDED};
use wazuh_mitre::suggest::{EvidenceKind, Suggester};

fn fixture(name: &str) -> Project {
    project(
        &[PathBuf::from("tests/fixtures/suggest").join(name)],
        &[],
        Config::default(),
    )
}

fn rule(p: &Project, id: u32) -> RuleRef {
    p.ws.rule_refs()
        .find(|r| p.ws.rule(*r).id == Some(id))
        .unwrap()
}

fn evidence_for(
    p: &Project,
    s: &Suggester,
    id: u32,
    kind: EvidenceKind,
) -> Vec<(String, f64, String)> {
    s.evidence(rule(p, id), &HashSet::new())
        .into_iter()
        .filter(|e| e.kind == kind)
        .map(|e| (e.technique, e.strength, e.detail))
        .collect()
}

#[test]
fn embedded_hints_parse_and_name_only_active_techniques() {
    let hints = HintSet::embedded();
    assert!(hints.hints.len() > 200, "{} hints", hints.hints.len());
    let db = AttackDb::embedded();
    assert_eq!(hints.inactive_ids(db.latest()), Vec::<String>::new());
    assert_eq!(hints.compile_errors(), Vec::<String>::new());
}

#[test]
fn the_hint_schema_rejects_bad_hints() {
    let hint = |when: &str, weight: &str, source: &str| {
        format!("source: x\nhints:\n  - when: {when}\n    techniques: [T1110]\n    weight: {weight}\n    why: x\n{source}")
    };
    let cited = "    source: ATT&CK T1110\n";
    let bad = [
        ("unknown key", hint("{colour: red}", "0.5", cited)),
        ("weight", hint("{group: [a]}", "1.5", cited)),
        ("no condition", hint("{}", "0.5", cited)),
        ("regex", hint("{text: \"(\"}", "0.5", cited)),
        ("no source", hint("{group: [a]}", "0.5", "")),
        (
            "a source citing nothing",
            hint("{group: [a]}", "0.5", "    source: experience\n"),
        ),
        (
            "a ruleset as source",
            hint(
                "{group: [a]}",
                "0.5",
                "    source: ATT&CK T1110, seen in WhiteMooncy's community ruleset\n",
            ),
        ),
        (
            "a rule file as source",
            hint(
                "{group: [a]}",
                "0.5",
                "    source: https://example.org/local_rules.xml\n",
            ),
        ),
    ];
    for (what, yaml) in bad {
        assert!(
            HintSet::parse(&[("bad.yaml", yaml.as_str())]).is_err(),
            "{what} was accepted"
        );
    }
    assert!(HintSet::parse(&[("good.yaml", hint("{group: [a]}", "0.5", cited).as_str())]).is_ok());
    let revoked = "source: x\nhints:\n  - when: {group: [a]}\n    techniques: [T1086]\n    weight: 0.5\n    why: x\n    source: ATT&CK T1086\n";
    let set = HintSet::parse(&[("revoked.yaml", revoked)]).unwrap();
    assert_eq!(
        set.inactive_ids(AttackDb::embedded().latest()),
        ["revoked.yaml: T1086"]
    );
    assert_eq!(
        EMBEDDED.len(),
        std::fs::read_dir("rules-db/hints")
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "yaml"))
            .count()
    );
}

/// Every hint's sources are checked against the data they cite: the ATT&CK technique or
/// software exists and is about one of the hint's techniques, the cited Sigma or Splunk
/// detection is in the embedded table and tagged with one of them, links are documentation.
#[test]
fn every_hint_cites_a_public_source_about_its_techniques() {
    use wazuh_mitre::suggest::hints::SourceRef;
    let db = AttackDb::embedded();
    let latest = db.latest();
    let family = |id: &str| -> String {
        let current = latest
            .resolve(id)
            .and_then(|r| r.current().map(|t| t.id.clone()))
            .unwrap_or_else(|| id.to_string());
        current.split('.').next().unwrap().to_string()
    };
    let detections = wazuh_mitre::suggest::public_table::embedded();
    let hints = HintSet::embedded();
    let mut cited = [0usize; 3];
    for h in &hints.hints {
        let ours: HashSet<String> = h.techniques.iter().map(|t| family(t)).collect();
        let about_ours = |ids: &[String]| ids.iter().any(|t| ours.contains(&family(t)));
        assert!(!h.sources.is_empty(), "{}: {}", h.file, h.why);
        for source in &h.sources {
            match source {
                SourceRef::Attack(id) if id.starts_with('S') => {
                    let sw = db.text().software().iter().find(|s| &s.id == id);
                    let sw = sw.unwrap_or_else(|| panic!("{}: no software {id}", h.why));
                    assert!(
                        about_ours(&sw.techniques),
                        "{}: {id} uses none of {ours:?}",
                        h.why
                    );
                    cited[0] += 1;
                }
                SourceRef::Attack(id) => {
                    assert!(latest.resolve(id).is_some(), "{}: no technique {id}", h.why);
                    assert!(
                        about_ours(std::slice::from_ref(id)),
                        "{}: {id} is not {ours:?}",
                        h.why
                    );
                    cited[0] += 1;
                }
                SourceRef::Detection { source, id } => {
                    let d = detections
                        .iter()
                        .find(|d| d.source == *source && &d.id == id)
                        .unwrap_or_else(|| panic!("{}: no {source} detection {id}", h.why));
                    assert!(
                        about_ours(&d.techniques),
                        "{}: {id} is tagged {:?}",
                        h.why,
                        d.techniques
                    );
                    cited[1] += 1;
                }
                SourceRef::Url(url) => {
                    let host = url
                        .trim_start_matches("https://")
                        .split('/')
                        .next()
                        .unwrap();
                    assert!(
                        ["learn.microsoft.com", "attack.mitre.org", "man7.org"].contains(&host),
                        "{}: {url} is not documentation we know",
                        h.why
                    );
                    cited[2] += 1;
                }
            }
        }
    }
    assert!(cited.iter().all(|&n| n > 0), "{cited:?}");
}

#[test]
fn explicit_mentions_of_ids_and_names() {
    let p = fixture("sources.xml");
    let s = Suggester::new(&p);
    let ev = evidence_for(&p, &s, 100501, EvidenceKind::Explicit);
    // "Kerberoasting" by name; T1208 (revoked) is followed to its replacement.
    assert!(
        ev.iter()
            .any(|e| e.0 == "T1558.003" && e.2.contains("Kerberoasting")),
        "{ev:?}"
    );
    assert!(
        ev.iter()
            .any(|e| e.0 == "T1558.003" && e.2.contains("T1208, now T1558.003")),
        "{ev:?}"
    );
    let ev = evidence_for(&p, &s, 100502, EvidenceKind::Explicit);
    assert!(ev.iter().any(|e| e.0 == "T1546.008"), "{ev:?}");
    let top = &s.suggest(rule(&p, 100502), &HashSet::new(), usize::MAX)[0];
    assert_eq!(top.technique, "T1546.008");
}

#[test]
fn parent_tags_weaken_with_distance() {
    let p = fixture("sources.xml");
    let s = Suggester::new(&p);
    let child = evidence_for(&p, &s, 100511, EvidenceKind::Parent);
    let grandchild = evidence_for(&p, &s, 100512, EvidenceKind::Parent);
    assert_eq!(child.len(), 1);
    assert_eq!(child[0].0, "T1110.001");
    assert_eq!(child[0].2, "parent 100510 is tagged T1110.001");
    assert_eq!(grandchild[0].0, "T1110.001");
    assert!(grandchild[0].1 < child[0].1);
    assert_eq!(
        s.suggest(rule(&p, 100511), &HashSet::new(), usize::MAX)[0].technique,
        "T1110.001"
    );
}

#[test]
fn curated_hints_fire_on_event_ids() {
    let p = fixture("sources.xml");
    let s = Suggester::new(&p);
    let ev = evidence_for(&p, &s, 100520, EvidenceKind::Hint);
    assert!(
        ev.iter()
            .any(|e| e.0 == "T1136.001" && e.2 == "a user account was created"),
        "{ev:?}"
    );
    assert_eq!(
        s.suggest(rule(&p, 100520), &HashSet::new(), usize::MAX)[0].technique,
        "T1136.001"
    );
}

#[test]
fn attack_text_matches_technique_descriptions() {
    let p = fixture("sources.xml");
    let s = Suggester::new(&p);
    let ev = evidence_for(&p, &s, 100530, EvidenceKind::AttackText);
    assert!(ev.iter().any(|e| e.0.starts_with("T1558")), "{ev:?}");
    let top: Vec<String> = s
        .suggest(rule(&p, 100530), &HashSet::new(), usize::MAX)
        .into_iter()
        .take(3)
        .map(|x| x.technique)
        .collect();
    assert!(top.iter().any(|t| t.starts_with("T1558")), "{top:?}");
}

#[test]
fn similar_tagged_rules_lend_their_tags() {
    let p = fixture("similar.xml");
    let s = Suggester::new(&p);
    let ev = evidence_for(&p, &s, 100603, EvidenceKind::Similar);
    assert!(
        ev.iter()
            .any(|e| e.0 == "T1552.004" && e.2.starts_with("rule 10060")),
        "{ev:?}"
    );
    assert_eq!(
        s.suggest(rule(&p, 100603), &HashSet::new(), usize::MAX)[0].technique,
        "T1552.004"
    );
}

#[test]
fn leave_one_out_never_shows_a_rule_its_own_tags() {
    let p = fixture("similar.xml");
    let s = Suggester::new(&p);
    let r = rule(&p, 100601);
    // Visible: its twin 100602 lends T1552.004. Hidden with its twin: nothing does.
    let hidden: HashSet<RuleRef> = [r].into();
    let ev = s.evidence(r, &hidden);
    assert!(ev.iter().all(|e| !e.detail.contains("100601")), "{ev:?}");
    assert!(ev.iter().any(|e| e.detail.contains("rule 100602")));
    let hidden: HashSet<RuleRef> = [r, rule(&p, 100602)].into();
    let ev = s.evidence(r, &hidden);
    assert!(
        ev.iter()
            .all(|e| e.kind != EvidenceKind::Similar || !e.detail.contains("10060")),
        "{ev:?}"
    );
}

#[test]
fn suggestions_are_deterministic() {
    let p = fixture("sources.xml");
    let a = Suggester::new(&p);
    let b = Suggester::new(&p);
    for r in p.ws.rule_refs() {
        let x = serde_json::to_string(&a.suggest(r, &HashSet::new(), usize::MAX)).unwrap();
        let y = serde_json::to_string(&b.suggest(r, &HashSet::new(), usize::MAX)).unwrap();
        assert_eq!(x, y);
    }
    let many = a.suggest_many(
        &p.ws.rule_refs().collect::<Vec<_>>(),
        &|_| HashSet::new(),
        usize::MAX,
    );
    for (r, s) in p.ws.rule_refs().zip(many) {
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            serde_json::to_string(&a.suggest(r, &HashSet::new(), usize::MAX)).unwrap()
        );
    }
}

/// The community rulesets as the linted files, no ruleset (None without `../shared`).
fn community() -> Option<Project> {
    let shared = crate::common::shared()?;
    Some(project(
        &[shared.join("corpus/community")],
        &[],
        Config::default(),
    ))
}

/// `suggest --top N` builds only N suggestions: they must be the first N of the full list,
/// confidence included (high depends on the runner-up, which may be cut).
#[test]
fn a_cut_list_is_the_head_of_the_full_list() {
    let Some(p) = community() else {
        return;
    };
    let s = Suggester::new(&p);
    let rules: Vec<_> = p.ws.linted_rule_refs().collect();
    assert!(rules.len() > 100);
    let full = s.suggest_many(&rules, &|_| HashSet::new(), usize::MAX);
    let mut longer = 0;
    for top in [1, 3] {
        let cut = s.suggest_many(&rules, &|_| HashSet::new(), top);
        for (c, f) in cut.iter().zip(&full) {
            longer += usize::from(f.len() > top);
            let head = &f[..f.len().min(top)];
            assert_eq!(
                serde_json::to_string(c).unwrap(),
                serde_json::to_string(head).unwrap()
            );
        }
    }
    assert!(longer > 100, "the cut must have cut something");
}

fn total(rows: &[EvalRow]) -> &EvalRow {
    rows.last().unwrap()
}

/// The issue's targets, measured on the stock ruleset with itself as `--ruleset`.
#[test]
fn eval_on_the_stock_ruleset_meets_the_targets() {
    let Some(dir) = crate::common::stock_rules() else {
        return;
    };
    let p = project(
        std::slice::from_ref(&dir),
        std::slice::from_ref(&dir),
        Config::default(),
    );
    let s = Suggester::new(&p);
    let rows = evaluate(
        &p,
        &s,
        wazuh_mitre::suggest::eval::Protocol::LeaveOneOut,
        &Default::default(),
    );
    let t = total(&rows);
    assert!(t.rules > 1000, "{t:?}");
    let rate = |n| EvalRow::rate(n, t.rules);
    assert!(rate(t.hit_at_3) >= 0.80, "{t:?}");
    assert!(rate(t.hit_at_1) >= 0.60, "{t:?}");
    assert!(
        EvalRow::rate(t.high_correct, t.high_suggestions) >= 0.90,
        "{t:?}"
    );
    assert!(rate(t.rules_with_high) >= 0.40, "{t:?}");
}

#[test]
fn eval_on_the_community_rulesets_without_a_ruleset() {
    let Some(p) = community() else {
        return;
    };
    let s = Suggester::new(&p);
    let rows = evaluate(
        &p,
        &s,
        wazuh_mitre::suggest::eval::Protocol::LeaveOneOut,
        &Default::default(),
    );
    let t = total(&rows);
    assert!(EvalRow::rate(t.hit_at_3, t.rules) >= 0.65, "{t:?}");
}

#[test]
fn public_detections_lend_techniques_and_name_their_authors() {
    let v = crate::common::cli::run_json(
        &[
            "suggest",
            "--no-default-ruleset",
            "--format",
            "json",
            "tests/fixtures/suggest/public.xml",
        ],
        0,
    );
    for (rule, family) in [(100401, "T1114"), (100402, "T1105")] {
        let r = v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule_id"] == rule)
            .unwrap();
        let first = &r["suggestions"][0];
        assert!(
            first["technique"].as_str().unwrap().starts_with(family),
            "{rule}: {first}"
        );
        let public: Vec<&str> = first["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["kind"] == "public")
            .map(|x| x["detail"].as_str().unwrap())
            .collect();
        assert!(!public.is_empty(), "{rule}: no public reason");
        assert!(public
            .iter()
            .all(|d| d.starts_with("like Sigma \"") || d.starts_with("like Splunk \"")));
        assert!(public.iter().all(|d| d.contains("(by ")), "{public:?}");
    }
}

#[test]
fn named_software_lends_the_techniques_attack_says_it_uses() {
    let p = fixture("software.xml");
    let s = Suggester::new(&p);
    let text = AttackDb::embedded();
    let ryuk = text
        .text()
        .software()
        .iter()
        .find(|x| x.name == "Ryuk")
        .unwrap();
    let found = evidence_for(&p, &s, 100501, EvidenceKind::Software);
    assert!(!found.is_empty());
    // Every technique it lends is one ATT&CK says Ryuk uses, each with the software's id.
    assert!(found.iter().all(|(t, _, _)| ryuk.techniques.contains(t)));
    assert!(found.iter().all(|(_, _, why)| why.contains("Ryuk (S0446)")));
    // The rule's words ("file extension") single out the encryption example.
    let strongest = found.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    assert_eq!(strongest.0, "T1486", "{found:?}");
    let first = &s.suggest(rule(&p, 100501), &HashSet::new(), usize::MAX)[0];
    assert_eq!(first.technique, "T1486");
    // A name ATT&CK's prose uses as an ordinary word lends nothing.
    assert!(evidence_for(&p, &s, 100502, EvidenceKind::Software).is_empty());
}

/// What `eval` says `fix --add-tags` would write, on a file whose answers are known: rule
/// 100001 writes "(T1098)" in its description and is tagged T1098; rule 100002 is a 4720
/// "user account created" rule tagged T1136.001 (Microsoft's event, ATT&CK's Local Account).
/// The naming rule gets exactly its id, at high confidence too (its author said so).
#[test]
fn eval_reports_what_add_tags_would_write() {
    let v = crate::common::cli::run_json(
        &[
            "eval",
            "--cold",
            "--no-default-ruleset",
            "--format",
            "json",
            "tests/fixtures/fix/add-tags-named/after.xml",
        ],
        0,
    );
    let add = &v["folders"][0]["add_tags"];
    for level in ["high", "medium"] {
        assert_eq!(
            add[level]["naming_rules_exact_share"], 1.0,
            "{level}: {add}"
        );
        assert_eq!(add[level]["right_share"], 1.0, "{level}: {add}");
    }
    assert_eq!(add["medium"]["tagged_share"], 1.0, "{add}");
}

/// `eval --accept`: a reviewed label counts as right beside the rule's own tags. The rule
/// below (a user added to a group: Windows event 4728) is tagged with a technique it does
/// not detect; what the suggester ranks first for it is read from `suggest` on the same rule
/// without its tags (the cold protocol sees exactly that), and written as the review's
/// `acceptable` row. By its tag the first suggestion is wrong; by the review it is right.
#[test]
fn eval_counts_reviewed_labels_beside_the_tags() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |mitre: &str| {
        format!(
            r#"<group name="windows,">
  <rule id="100010" level="8">
    <if_group>windows</if_group>
    <field name="win.system.eventID">^4728$</field>
    <description>A member was added to a security-enabled global group</description>
    {mitre}
  </rule>
</group>
"#
        )
    };
    let untagged = crate::common::write(dir.path(), "untagged.xml", rule("").as_bytes());
    let tagged_dir = dir.path().join("tagged");
    std::fs::create_dir(&tagged_dir).unwrap();
    let tagged = crate::common::write(
        &tagged_dir,
        "local_rules.xml",
        rule("<mitre><id>T1021</id></mitre>").as_bytes(),
    );
    let s = crate::common::cli::run_json(
        &[
            "suggest",
            "--no-default-ruleset",
            "--format",
            "json",
            untagged.to_str().unwrap(),
        ],
        0,
    );
    let top = s["rules"][0]["suggestions"][0]["technique"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!top.starts_with("T1021"), "{top}");
    let tsv = dir.path().join("review.tsv");
    std::fs::write(
        &tsv,
        format!(
            "rule_id\ttechnique\torigin\tverdict\n100010\t{top}\tcandidate\tacceptable\n\
             100010\tT1021\tstock-tag\twrong\n"
        ),
    )
    .unwrap();
    let eval = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            "--cold",
            "--no-default-ruleset",
            "--format",
            "json",
            tagged.to_str().unwrap(),
        ];
        args.extend(extra);
        crate::common::cli::run_json(&args, 0)["folders"][0].clone()
    };
    let plain = eval(&[]);
    assert_eq!(plain["hit_at_1"], 0.0, "{plain}");
    assert!(plain["reviewed"].is_null());
    let reviewed = eval(&["--accept", tsv.to_str().unwrap()]);
    // The plain figures stay what they were; the reviewed ones count the accepted top.
    assert_eq!(reviewed["hit_at_1"], 0.0);
    assert_eq!(reviewed["reviewed"]["rules_reviewed"], 1);
    assert_eq!(reviewed["reviewed"]["hit_at_1"], 1.0, "{reviewed}");
    // A malformed review file is a usage error naming its line.
    std::fs::write(&tsv, "rule_id\ttechnique\tverdict\nx\tT1098\tacceptable\n").unwrap();
    let (code, _, err) = crate::common::cli::run(&[
        "eval",
        "--accept",
        tsv.to_str().unwrap(),
        tagged.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("review.tsv:2: rule id `x` is not a number"),
        "{err}"
    );
}

/// An executable one of ten a rule lists is a tenth of what the rule fires on: it must not
/// outweigh what the description says. The two rules are the shape of community sysmon rules
/// (a shell started by MSHTA, by an Office product) whose `Image` lists ten executables, one
/// of them regsvr32; the third lists regsvr32 alone.
#[test]
fn one_alternative_of_many_is_weak_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let list = |last: &str| {
        format!(
            r"\\cmd.exe||\\powershell.exe||\\wscript.exe||\\cscript.exe||\\sh.exe||\\bash.exe||\\scrcons.exe||\\schtasks.exe||\\regsvr32.exe||{last}"
        )
    };
    let xml = format!(
        r#"<group name="windows,sysmon,">
  <rule id="100200" level="10">
    <if_group>sysmon_event1</if_group>
    <field name="win.eventdata.parentImage" type="pcre2">(?i)\\mshta\.exe</field>
    <field name="win.eventdata.Image">{}</field>
    <description>Detection a Windows command line executable started from MSHTA</description>
  </rule>
  <rule id="100201" level="10">
    <if_group>sysmon_event1</if_group>
    <field name="win.eventdata.parentImage" type="pcre2">(?i)\\(winword|excel|powerpnt|outlook)\.exe</field>
    <field name="win.eventdata.Image">{}</field>
    <description>Microsoft Office Product Spawning Windows Shell</description>
  </rule>
  <rule id="100202" level="10">
    <if_group>sysmon_event1</if_group>
    <field name="win.eventdata.Image">\\regsvr32.exe</field>
    <description>Process started</description>
  </rule>
</group>
"#,
        list(r"\\BITSADMIN*"),
        list(r"\\hh.exe")
    );
    let path = crate::common::write(dir.path(), "sysmon_rules.xml", xml.as_bytes());
    let v = crate::common::cli::run_json(
        &[
            "suggest",
            "--format",
            "json",
            "--top",
            "3",
            path.to_str().unwrap(),
        ],
        0,
    );
    let rules = v["rules"].as_array().unwrap();
    let ranked = |i: usize| -> Vec<(String, String)> {
        rules[i]["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let field = |k: &str| s[k].as_str().unwrap().to_string();
                (field("technique"), field("confidence"))
            })
            .collect()
    };
    for i in 0..2 {
        assert!(
            !ranked(i)
                .iter()
                .any(|(t, c)| t == "T1218.010" && c != "low"),
            "{:?}",
            ranked(i)
        );
    }
    // What the first rule's description says wins.
    assert_eq!(ranked(0)[0].0, "T1218.005", "{:?}", ranked(0));
    // Alone, regsvr32 is still the rule's first technique.
    assert_eq!(ranked(2)[0].0, "T1218.010", "{:?}", ranked(2));
}

/// `eval --cold`'s pass split counts what `fix --add-tags` really writes: the same stock
/// files with every `<mitre>` block cut out by text, fixed on disk by the binary, and the
/// rules that had tags and now have a block counted from the written files.
#[test]
fn add_tags_by_pass_counts_what_fix_writes() {
    let Some(stock) = crate::common::stock_rules() else {
        return;
    };
    let v = crate::common::cli::run_json(
        &[
            "eval",
            "--cold",
            "--no-default-ruleset",
            "--format",
            "json",
            stock.to_str().unwrap(),
        ],
        0,
    );
    let passes = &v["add_tags_passes"];
    assert_eq!(passes["rules"], v["folders"][0]["rules"], "{passes}");
    let counted = |p: &str| passes[p]["counts"]["rules"].as_u64().unwrap();
    let (first, later) = (counted("first_pass"), counted("later_passes"));
    assert!(first > 200, "{passes}");

    let dir = tempfile::tempdir().unwrap();
    let block = regex::Regex::new(r"(?s)<mitre>.*?</mitre>").unwrap();
    let rule = regex::Regex::new(r#"(?s)<rule\s[^>]*?\bid="(\d+)".*?</rule>"#).unwrap();
    let technique = regex::Regex::new(r"<id>\s*T\d{4}").unwrap();
    let mut had_tags = std::collections::HashSet::new();
    for entry in std::fs::read_dir(&stock).unwrap() {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for c in rule.captures_iter(&text) {
            // Tags eval judges against are technique ids.
            if block
                .find(&c[0])
                .is_some_and(|b| technique.is_match(b.as_str()))
            {
                had_tags.insert(c[1].to_string());
            }
        }
        let name = path.file_name().unwrap();
        std::fs::write(
            dir.path().join(name),
            block.replace_all(&text, "").as_bytes(),
        )
        .unwrap();
    }
    let (code, _, err) = crate::common::cli::run(&[
        "fix",
        "--no-default-ruleset",
        "--add-tags",
        "--write",
        dir.path().to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "{err}");
    let mut tagged_again = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        tagged_again += rule
            .captures_iter(&text)
            .filter(|c| block.is_match(&c[0]) && had_tags.contains(&c[1]))
            .count();
    }
    assert_eq!(tagged_again as u64, first + later, "{passes}");
}

/// What other rules' tags lend ranks a technique but does not write it: a child whose only
/// evidence is its parent's tag is shown that technique at high confidence by `suggest`,
/// and `fix --add-tags` leaves it for a person. (Tags a run writes would otherwise vouch for
/// the next pass's guesses: measured in docs/suggest.md.)
#[test]
fn lent_evidence_ranks_but_does_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let xml = r#"<group name="local,">
  <rule id="100400" level="8">
    <decoded_as>json</decoded_as>
    <field name="app.event">^acme_op_17$</field>
    <description>ACME operation 17</description>
    <mitre>
      <id>T1136.001</id>
    </mitre>
  </rule>
  <rule id="100401" level="10">
    <if_sid>100400</if_sid>
    <field name="app.site">^branch</field>
    <description>ACME operation 17 on a branch server</description>
  </rule>
</group>
"#;
    let path = crate::common::write(dir.path(), "local_rules.xml", xml.as_bytes());
    let s =
        crate::common::cli::run_json(&["suggest", "--format", "json", path.to_str().unwrap()], 0);
    let first = &s["rules"][0]["suggestions"][0];
    assert_eq!(first["technique"], "T1136.001", "{s}");
    assert_eq!(first["confidence"], "high", "{s}");
    assert!(
        first["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["kind"] == "parent" || r["kind"] == "similar"),
        "{first}"
    );
    let (code, out, err) = crate::common::cli::run(&["fix", "--add-tags", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("+      <id>"), "{out}");
    assert!(err.contains("only other rules' tags make it so"), "{err}");
}
