//! The project's own guide: built from `content/`, it holds every line of the seed, each
//! paired with its translation.

mod common;

use std::collections::BTreeMap;

use common::*;

type Pair = (String, String);

/// The seed as (section title pair, the section's text pairs in order).
fn seed_sections() -> Vec<(Pair, Vec<Pair>)> {
    // The first user's guide as they handed it over, kept with the tests.
    let seed = fixtures().join("seed/server-architecture-workflow-guide.md");
    let text = std::fs::read_to_string(&seed).expect("the seed fixture");
    let mut sections = Vec::new();
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .peekable();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix("### ") {
            let (zh, en) = h.split_once(" | ").expect("section heading pairs");
            // The section number the Chinese title carries numbers the English one too.
            let number = zh.split_once(' ').expect("a numbered title").0;
            sections.push(((zh.to_string(), format!("{number} {en}")), Vec::new()));
        } else if line.starts_with('#') {
            continue;
        } else {
            let zh = line.trim_start_matches("- ").to_string();
            let en = lines
                .next()
                .expect("every Chinese line has its English line")
                .to_string();
            sections
                .last_mut()
                .expect("inside a section")
                .1
                .push((zh, en));
        }
    }
    sections
}

#[test]
fn the_guide_builds_with_zero_warnings_and_every_seed_line_paired() {
    let guide = copy_guide();
    let out = guide.path().join("public");
    let report = build_at(guide.path(), &out);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert_eq!(report.pages, 1 + 4 + 8, "home, four phases, eight sections");

    let mut by_title: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    for phase in [
        "architecture-design-phase",
        "core-feature-implementation-phase",
        "service-governance-phase",
        "security-and-standards-phase",
    ] {
        let dir = out.join(phase);
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).expect("phase folder").flatten() {
            if entry.path().join("index.html").is_file() {
                let html = std::fs::read_to_string(entry.path().join("index.html")).expect("page");
                let mut p = pairs(&html);
                let title = p.remove(0);
                by_title.insert(title, p);
                n += 1;
            }
        }
        assert_eq!(n, 2, "{phase} has two sections");
    }
    let sections = seed_sections();
    assert_eq!(sections.len(), 8);
    for (title, expected) in sections {
        let got = by_title
            .get(&title)
            .unwrap_or_else(|| panic!("no page titled {title:?}"));
        assert_eq!(got, &expected, "section {title:?}");
        assert_eq!(expected.len(), 12, "two lead-ins and ten items");
    }
}

/// What a reader sees: scripts (the checklist data block holds both languages) left out.
fn without_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</script>") {
            Some(end) => rest = &rest[start + end + 9..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn every_seed_line_is_in_its_language_own_pages() {
    let guide = copy_guide();
    let out = guide.path().join("public");
    build_at(guide.path(), &out);
    let text_of_form = |prefix: &str| -> String {
        files(&out.join(prefix))
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "html"))
            .map(|f| {
                text_of(&without_scripts(
                    &std::fs::read_to_string(out.join(prefix).join(f)).expect("page"),
                ))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (zh, en) = (text_of_form("zh"), text_of_form("en"));
    for (_, pairs) in seed_sections() {
        for (z, e) in pairs {
            assert!(zh.contains(&z), "{z} missing from the Chinese pages");
            assert!(en.contains(&e), "{e} missing from the English pages");
            assert!(!zh.contains(&e), "{e} leaked into the Chinese pages");
        }
    }
}

#[test]
fn home_lists_the_phases_and_their_sections() {
    let guide = copy_guide();
    let out = guide.path().join("public");
    build_at(guide.path(), &out);
    let home = read(&out, "index.html");
    for href in [
        "architecture-design-phase/index.html",
        "architecture-design-phase/requirements-analysis/index.html",
        "core-feature-implementation-phase/api-design/index.html",
        "service-governance-phase/availability-design/index.html",
        "security-and-standards-phase/standards-establishment/index.html",
    ] {
        assert!(home.contains(&format!("href=\"{href}\"")), "{href}");
    }
    assert!(home.contains("<span class=\"l1\" lang=\"zh-CN\">4. 安全与规范阶段</span><span class=\"l2\" lang=\"en\"><span class=\"num-again\">4. </span>Security and Standards Phase</span>"));
}
