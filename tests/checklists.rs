//! Checklist pages, `checklists.json`, ids and `diglot checklist`.

mod common;

use std::collections::BTreeSet;

use assert_cmd::Command;
use common::*;

fn ids_in(html: &str) -> BTreeSet<String> {
    html.split("data-check-id=\"")
        .skip(1)
        .map(|s| s[..s.find('"').expect("closing quote")].to_string())
        .collect()
}

fn json_ids(out: &std::path::Path) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&read(out, "checklists.json")).expect("json");
    let mut ids = Vec::new();
    for phase in json["phases"].as_array().expect("phases") {
        for section in phase["sections"].as_array().expect("sections") {
            for group in section["groups"].as_array().expect("groups") {
                for item in group["items"].as_array().expect("items") {
                    ids.push(item["id"].as_str().expect("id").to_string());
                }
            }
        }
    }
    ids
}

#[test]
fn the_guide_has_four_checklist_pages_of_ten_items() {
    let guide = copy_guide();
    let out = guide.path().join("public");
    build_at(guide.path(), &out);
    let mut all = BTreeSet::new();
    for phase in [
        "architecture-design-phase",
        "core-feature-implementation-phase",
        "service-governance-phase",
        "security-and-standards-phase",
    ] {
        for prefix in ["", "zh/", "en/"] {
            let html = read(&out, &format!("{prefix}checklists/{phase}/index.html"));
            let ids = ids_in(&html);
            assert_eq!(ids.len(), 10, "{prefix}{phase}: {ids:?}");
            assert_eq!(
                html.matches("<input type=\"checkbox\" class=\"check-box\"")
                    .count(),
                if prefix.is_empty() { 20 } else { 10 },
                "one box per shown side"
            );
            if prefix.is_empty() {
                all.extend(ids);
            }
        }
    }
    assert_eq!(all.len(), 40);
    let overview = read(&out, "checklists/index.html");
    assert!(overview.contains("data-progress-phase=\"*\""));
    assert!(overview.contains("<span class=\"progress-total\">40</span>"));
    for phase in [
        "architecture-design-phase",
        "core-feature-implementation-phase",
        "service-governance-phase",
        "security-and-standards-phase",
    ] {
        assert!(overview.contains(&format!("data-progress-phase=\"{phase}\"")));
        assert!(overview.contains(&format!("href=\"{phase}/index.html\"")));
    }
    // The guide's own pages carry the same items, bound by the same ids.
    let section = read(
        &out,
        "architecture-design-phase/requirements-analysis/index.html",
    );
    let section_ids = ids_in(&section);
    assert_eq!(section_ids.len(), 5);
    assert!(section_ids.is_subset(&all));
    // Each item on a checklist page links back to its place in the guide.
    let phase_page = read(&out, "checklists/architecture-design-phase/index.html");
    for id in &section_ids {
        let anchor = format!("check-{}", id.replace('.', "-"));
        assert!(
            section.contains(&format!("id=\"{anchor}\"")),
            "{anchor} on the section page"
        );
        assert!(
            phase_page.contains(&format!(
                "href=\"../../architecture-design-phase/requirements-analysis/index.html#{anchor}\""
            )),
            "back link to {anchor}"
        );
    }
    // The help list is shown as a reference, without checkboxes.
    let reference = &phase_page[phase_page.find("checklist-reference").expect("reference")..];
    assert!(reference.contains("Analyzing business requirements"));
    assert_eq!(json_ids(&out).len(), 40);
}

#[test]
fn checklists_json_follows_its_schema() {
    let guide = copy_guide();
    let out = guide.path().join("public");
    build_at(guide.path(), &out);
    let json: serde_json::Value =
        serde_json::from_str(&read(&out, "checklists.json")).expect("json");
    assert_eq!(json["format"], "diglot-checklists");
    assert_eq!(json["version"], 1);
    assert_eq!(
        json["book"]["title"][1],
        "Server Architecture Workflow Guide"
    );
    let phase = &json["phases"][0];
    assert_eq!(phase["slug"], "architecture-design-phase");
    assert_eq!(phase["title"][0], "1. 架构设计阶段");
    let section = &phase["sections"][0];
    assert_eq!(section["slug"], "requirements-analysis");
    assert_eq!(
        section["url"],
        "architecture-design-phase/requirements-analysis/"
    );
    let group = &section["groups"][0];
    assert_eq!(group["lead_in"][1], "You need to provide:");
    let item = &group["items"][0];
    assert_eq!(item["text"][0], "业务需求文档");
    assert_eq!(item["text"][1], "Business requirement documentation");
    assert_eq!(
        item["source"],
        "content/01-architecture-design-phase/01-requirements-analysis.md:21"
    );
    assert_eq!(item["checked"], false);
    assert!(item["id"]
        .as_str()
        .is_some_and(|id| id.starts_with("architecture-design-phase.requirements-analysis.")));
}

#[test]
fn ids_survive_a_rebuild_and_a_reordering_of_sections() {
    let guide = copy_guide();
    let out = guide.path().join("public");
    build_at(guide.path(), &out);
    let first: BTreeSet<String> = json_ids(&out).into_iter().collect();
    build_at(guide.path(), &out);
    assert_eq!(first, json_ids(&out).into_iter().collect());
    // Swap the two sections of the first phase.
    let dir = guide.path().join("content/01-architecture-design-phase");
    for (file, weight) in [
        ("01-requirements-analysis.md", 2),
        ("02-technology-selection.md", 1),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).expect("read");
        let text = text.replace(
            &format!("weight = {}", 3 - weight),
            &format!("weight = {weight}"),
        );
        std::fs::write(dir.join(file), text).expect("write");
    }
    build_at(guide.path(), &out);
    let reordered = json_ids(&out);
    assert!(
        reordered[0].starts_with("architecture-design-phase.technology-selection."),
        "the order changed: {reordered:?}"
    );
    assert_eq!(first, reordered.into_iter().collect());
}

#[test]
fn a_book_with_its_own_lead_ins_and_task_lists() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    std::fs::write(
        root.join("book.toml"),
        "[checklists]\nlead-ins = [\"带上\", \"Bring\"]\n",
    )
    .expect("write");
    std::fs::create_dir_all(root.join("content/trip")).expect("mkdir");
    std::fs::write(root.join("content/trip/_index.md"), "# 旅行 | Trip\n").expect("write");
    let page = "# 准备 | Packing\n\n带上：\nBring:\n\n- 护照\n  Passport\n- 充电器\n  Charger\n\n您需要提供：\nYou need to provide:\n\n- 不是清单\n  Not a checklist here\n\n- [x] 订票\n  Book tickets\n";
    std::fs::write(root.join("content/trip/packing.md"), page).expect("write");
    let out = root.join("public");
    let report = build_at(root, &out);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = read(&out, "checklists/trip/index.html");
    assert_eq!(
        ids_in(&html).len(),
        3,
        "two items after the custom lead-in, one task item"
    );
    assert!(html.contains("data-default-checked=\"true\""));
    assert!(
        !html.contains("Not a checklist here\u{3c}")
            && !ids_in(&html).iter().any(|id| id.contains("not"))
    );
    let json = read(&out, "checklists.json");
    assert!(json.contains("\"checked\": true"));
}

#[test]
fn duplicate_items_in_a_phase_fail_the_build() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    std::fs::write(root.join("book.toml"), "").expect("write");
    std::fs::create_dir_all(root.join("content/p")).expect("mkdir");
    std::fs::write(
        root.join("content/p/a.md"),
        "# A | A\n\n您需要提供：\nYou need to provide:\n\n- 文档\n  Docs\n",
    )
    .expect("write");
    std::fs::write(
        root.join("content/p/b.md"),
        "# B | B\n\n- [ ] 文档\n  Docs again\n",
    )
    .expect("write");
    std::fs::write(
        root.join("content/p/c.md"),
        "# C | C\n\n- [ ] 日志\n  Logs\n- [x] 日志\n  Logs\n",
    )
    .expect("write");
    let out = Command::cargo_bin("diglot")
        .expect("bin")
        .args(["build", "-q"])
        .arg(root)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: checklist item `日志` appears twice in phase `p`: also at"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/p/c.md:3\n") && stderr.contains("content/p/c.md:5:1\n"),
        "{stderr}"
    );
}

#[test]
fn the_checklist_command_prints_markdown_json_and_csv() {
    let guide = copy_guide();
    let run = |args: &[&str]| -> (Option<i32>, String) {
        let out = Command::cargo_bin("diglot")
            .expect("bin")
            .arg("checklist")
            .arg(guide.path())
            .args(args)
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, md) = run(&["--phase", "architecture-design-phase"]);
    assert_eq!(code, Some(0));
    assert!(md.starts_with("# 服务端架构工作流指南 · Server Architecture Workflow Guide\n"));
    assert_eq!(md.matches("- [ ] ").count(), 10);
    assert!(md.contains("- [ ] 业务需求文档 · Business requirement documentation\n"));
    let (_, en) = run(&["--phase", "architecture-design-phase", "--lang", "en"]);
    assert!(en.contains("- [ ] Business requirement documentation\n") && !en.contains("业务"));
    let (_, json) = run(&["--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(value["phases"].as_array().map(Vec::len), Some(4));
    let (_, csv) = run(&["--format", "csv", "--phase", "security-and-standards-phase"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "phase,section,id,text_zh,text_en,checked,source");
    assert_eq!(lines.len(), 11);
    assert_eq!(run(&["--phase", "nope"]).0, Some(2));
    assert_eq!(run(&["--lang", "fr"]).0, Some(2));
}
